import { describe, expect, it } from 'vitest';
import type { KioskItem } from '../../protocol/kiosk-api.ts';
import {
  availability,
  findByTag,
  groupByCategory,
  isOverdue,
  toggle,
} from '../../src-renderer/state/catalog.ts';

const item = (over: Partial<KioskItem>): KioskItem => ({
  id: 'i1',
  tag: 'LT-001',
  name: 'MacBook Pro 14',
  category: '노트북 Laptops',
  loanDays: 7,
  available: true,
  blockedFor: null,
  ...over,
});

describe('catalog helpers', () => {
  it('shows why an item cannot be borrowed instead of hiding it', () => {
    expect(availability(item({}))).toEqual({ kind: 'free' });
    expect(availability(item({ available: false }))).toEqual({ kind: 'blocked', code: 'ITEM_UNAVAILABLE' });
    expect(availability(item({ blockedFor: 'ITEM_NOT_ALLOWED' }))).toEqual({
      kind: 'blocked',
      code: 'ITEM_NOT_ALLOWED',
    });
  });

  it('groups by category, free items first, and keeps blocked ones listed', () => {
    const items = [
      item({ id: 'a', name: 'B laptop', available: false }),
      item({ id: 'b', name: 'C laptop' }),
      item({ id: 'c', name: 'Camera', category: '카메라 Cameras' }),
    ];
    const groups = groupByCategory(items, '');
    expect(groups.map((g) => g.category)).toEqual(['노트북 Laptops', '카메라 Cameras']);
    expect(groups[0]!.items.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('searches name, tag and category, case- and width-insensitively', () => {
    const items = [
      item({ id: 'a' }),
      item({ id: 'b', name: 'Sony A7 IV', tag: 'CM-001', category: '카메라 Cameras' }),
    ];
    expect(groupByCategory(items, 'sony').flatMap((g) => g.items.map((i) => i.id))).toEqual(['b']);
    expect(groupByCategory(items, 'ｃｍ-001').flatMap((g) => g.items.map((i) => i.id))).toEqual(['b']);
    expect(groupByCategory(items, '노트북').flatMap((g) => g.items.map((i) => i.id))).toEqual(['a']);
    expect(groupByCategory(items, 'nothing')).toEqual([]);
  });

  it('finds a scanned tag regardless of case', () => {
    expect(findByTag([item({})], 'lt-001')?.id).toBe('i1');
    expect(findByTag([item({})], 'XX')).toBeUndefined();
  });

  it('toggles ids and respects the per-command cap', () => {
    expect(toggle(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['a', 'b'], 'c', 2)).toEqual(['a', 'b']);
  });

  it('marks loans due before now as overdue', () => {
    const now = Date.parse('2026-03-10T12:00:00.000Z');
    expect(isOverdue('2026-03-09T12:00:00.000Z', now)).toBe(true);
    expect(isOverdue('2026-03-11T12:00:00.000Z', now)).toBe(false);
  });
});
