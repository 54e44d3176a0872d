/** Scanner or person: keyboard-wedge input told apart by timing, on a fake clock. */
import { describe, expect, it } from 'vitest';
import { WedgeClassifier, type WedgeVerdict } from '../../../hardware/keyboard-wedge/classifier.ts';
import { KeyboardWedgeReader } from '../../../hardware/keyboard-wedge/wedge-reader.ts';
import { BadgeHub } from '../../../hardware/badge-hub.ts';

const OPTS = {
  maxInterKeyMs: 35,
  minLength: 4,
  badgePattern: /^[0-9]{4,32}$/,
  itemPattern: /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/,
};

/** Type `text` then Enter, `stepMs` apart, from `t0`; returns every verdict. */
function type(c: WedgeClassifier, text: string, stepMs: number, t0 = 0): WedgeVerdict[] {
  const keys = [...text.split(''), 'Enter'];
  return keys.map((k, i) => c.key(k, t0 + i * stepMs)).filter((v): v is WedgeVerdict => v !== null);
}

describe('WedgeClassifier', () => {
  it('a fast burst of digits and Enter is a badge', () => {
    expect(type(new WedgeClassifier(OPTS), '1000234', 4)).toEqual([
      { kind: 'badge', credential: 'kbd:1000234' },
    ]);
  });

  it('a fast burst of a tag is an item scan, Shift for capitals ignored', () => {
    const c = new WedgeClassifier(OPTS);
    const keys = ['Shift', 'L', 'Shift', 'T', '-', '0', '0', '1', 'Enter'];
    const out = keys.map((k, i) => c.key(k, 100 + i * 3)).filter(Boolean);
    expect(out).toEqual([{ kind: 'item', tag: 'LT-001' }]);
  });

  it('a person typing the same digits is ignored', () => {
    expect(type(new WedgeClassifier(OPTS), '1000234', 180)).toEqual([]);
  });

  it('a person who pauses, then a scan: only the scan counts', () => {
    const c = new WedgeClassifier(OPTS);
    expect(c.key('9', 0)).toBeNull();
    expect(c.key('9', 400)).toBeNull();
    expect(type(c, '55551234', 5, 1000)).toEqual([{ kind: 'badge', credential: 'kbd:55551234' }]);
  });

  it('a short burst (a fast person hitting two keys and Enter) is not a scan', () => {
    expect(type(new WedgeClassifier(OPTS), '12', 5)).toEqual([]);
  });

  it('a scan that is neither badge nor item is rejected', () => {
    const v = type(new WedgeClassifier(OPTS), '#### ####', 3);
    expect(v).toEqual([{ kind: 'rejected', reason: expect.stringContaining('neither') }]);
  });

  it('a burst broken by an arrow key or a slow Enter is dropped', () => {
    const c = new WedgeClassifier(OPTS);
    ['1', '2', '3', 'ArrowLeft', '4', 'Enter'].forEach((k, i) => expect(c.key(k, i * 3)).toBeNull());
    ['1', '2', '3', '4', '5'].forEach((k, i) => c.key(k, 100 + i * 3));
    expect(c.key('Enter', 500)).toBeNull();
  });
});

describe('KeyboardWedgeReader through the hub', () => {
  it('sends badges and item scans on, each once inside the window', async () => {
    let now = 0;
    const badges: string[] = [];
    const items: string[] = [];
    const reader = new KeyboardWedgeReader(OPTS);
    const hub = new BadgeHub(
      [reader],
      { now: () => now },
      {
        badge: (c) => badges.push(c),
        status: () => {},
        itemScan: (tag) => items.push(tag),
      },
    );
    hub.start();
    const scan = (text: string) => [...text, 'Enter'].forEach((k) => reader.key(k, now++));
    scan('1000234');
    scan('LT-001');
    scan('LT-001');
    now += 2000;
    scan('LT-001');
    expect(badges).toEqual(['kbd:1000234']);
    expect(items).toEqual(['LT-001', 'LT-001']);
    expect(hub.readerStatuses()).toEqual([
      expect.objectContaining({ kind: 'keyboard-wedge', state: 'present' }),
    ]);
    await hub.stop();
  });

  it('an item scan with nobody to take it is counted as rejected', () => {
    const rejected: string[] = [];
    const reader = new KeyboardWedgeReader(OPTS);
    reader.start({ credential: () => {}, status: () => {}, rejected: (_id, r) => rejected.push(r) });
    [...'LT-001', 'Enter'].forEach((k, i) => reader.key(k, i));
    expect(rejected).toEqual(['item scan with nobody to take it']);
  });
});
