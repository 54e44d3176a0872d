/** The return's per-item reports as the screen sends them (src-renderer/state/return-reports.ts). */
import { describe, expect, it } from 'vitest';
import { ReturnItemReport, type KioskItem } from '../../protocol/kiosk-api.ts';
import { hasProblem, NO_PROBLEM, NOTE_MAX, toReports } from '../../src-renderer/state/return-reports.ts';
import { Value } from '@sinclair/typebox/value';

const item = (id: string, parts?: string[]): KioskItem => ({
  id,
  tag: id.toUpperCase(),
  name: id,
  category: 'c',
  loanDays: 3,
  available: false,
  blockedFor: null,
  ...(parts ? { parts } : {}),
});
const KIT = item('kit', ['본체', '배터리 1', '배터리 2', '충전기']);
const ITEMS = [KIT, item('tab'), item('meter')];

describe('toReports', () => {
  it('says nothing of an item with nothing to say, and keeps the return order', () => {
    expect(toReports(['kit', 'tab', 'meter'], {}, ITEMS)).toEqual([]);
    expect(
      toReports(
        ['meter', 'tab', 'kit'],
        {
          kit: { condition: null, missing: ['충전기', '배터리 2'], note: '' },
          tab: { condition: 'damaged', missing: [], note: '  액정 깨짐 ' },
          meter: NO_PROBLEM,
        },
        ITEMS,
      ),
    ).toEqual([
      { itemId: 'tab', condition: 'damaged', note: '액정 깨짐' },
      // The kit's own order, whatever order the parts were unticked in.
      { itemId: 'kit', missingParts: ['배터리 2', '충전기'] },
    ]);
  });

  it('leaves out an item no longer being returned, parts the kit no longer names, and a blank note', () => {
    const drafts = {
      kit: { condition: null, missing: ['렌즈'], note: '   ' },
      tab: { condition: 'incomplete' as const, missing: [], note: '' },
    };
    expect(toReports(['kit'], drafts, ITEMS)).toEqual([]);
    expect(toReports(['kit', 'tab'], drafts, ITEMS)).toEqual([{ itemId: 'tab', condition: 'incomplete' }]);
  });

  it('sends what the command schema takes: a note cut to its limit', () => {
    const [report] = toReports(
      ['tab'],
      { tab: { condition: null, missing: [], note: '가'.repeat(NOTE_MAX + 20) } },
      ITEMS,
    );
    expect(report?.note).toHaveLength(NOTE_MAX);
    expect(Value.Check(ReturnItemReport, report)).toBe(true);
  });
});

it('hasProblem: a condition, a missing part or a note', () => {
  expect(hasProblem(undefined)).toBe(false);
  expect(hasProblem(NO_PROBLEM)).toBe(false);
  expect(hasProblem({ ...NO_PROBLEM, note: ' ' })).toBe(false);
  expect(hasProblem({ ...NO_PROBLEM, note: '메모' })).toBe(true);
  expect(hasProblem({ ...NO_PROBLEM, missing: ['충전기'] })).toBe(true);
  expect(hasProblem({ ...NO_PROBLEM, condition: 'damaged' })).toBe(true);
});
