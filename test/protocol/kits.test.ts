/**
 * A kit's parts and what a return reports (protocol/lending.ts), property-tested: the parts as
 * staff type them are kept trimmed, without blanks or repeats, in their order, and keeping
 * them twice changes nothing; a missing part always makes a return a report, and 'damaged'
 * is never downgraded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingKitParts, normalizeKitParts, returnReport } from '../../protocol/lending.ts';

const typed = fc.array(
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(' 충전기 ', '충전기', 'Lens', 'lens', '  ', '')),
  {
    maxLength: 30,
  },
);

describe('normalizeKitParts', () => {
  it('trims, drops blanks and repeats (any case), keeps the first of each in order', () => {
    expect(normalizeKitParts([' 본체 ', '', '배터리  1', 'LENS', 'lens', '본체', '   '])).toEqual([
      '본체',
      '배터리 1',
      'LENS',
    ]);
  });

  it('property: idempotent, no blank or padded names, no two alike', () => {
    fc.assert(
      fc.property(typed, (parts) => {
        const once = normalizeKitParts(parts);
        expect(normalizeKitParts(once)).toEqual(once);
        for (const p of once) expect(p).toBe(p.trim().replace(/\s+/g, ' '));
        expect(once.every((p) => p.length > 0)).toBe(true);
        expect(new Set(once.map((p) => p.toLocaleLowerCase())).size).toBe(once.length);
      }),
    );
  });

  it('property: every name typed (trimmed) is kept or has an equal kept before it', () => {
    fc.assert(
      fc.property(typed, (parts) => {
        const kept = normalizeKitParts(parts).map((p) => p.toLocaleLowerCase());
        for (const raw of parts) {
          const p = raw.trim().replace(/\s+/g, ' ');
          if (p) expect(kept).toContain(p.toLocaleLowerCase());
        }
      }),
    );
  });
});

describe('missingKitParts and returnReport', () => {
  it('property: every part is back or missing, never both; the missing keep the kit’s order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        (parts, back) => {
          const cameBack = new Set(parts.filter((_, i) => back[i]));
          const missing = missingKitParts(parts, cameBack);
          for (const p of parts) expect(cameBack.has(p) !== missing.includes(p)).toBe(true);
          // A subsequence of the kit: its positions in the kit only go up.
          const at = missing.map((p) => parts.indexOf(p));
          expect(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1]!))).toBe(true);
          expect(missingKitParts(parts, new Set(parts))).toEqual([]);
          expect(missingKitParts(parts, new Set())).toEqual(parts);
        },
      ),
    );
  });

  it('a missing part makes a plain return incomplete; damaged stays damaged; nothing said is no report', () => {
    expect(returnReport(undefined, ['충전기'])).toBe('incomplete');
    expect(returnReport(null, ['충전기'])).toBe('incomplete');
    expect(returnReport('incomplete', [])).toBe('incomplete');
    expect(returnReport('damaged', ['충전기'])).toBe('damaged');
    expect(returnReport('damaged', undefined)).toBe('damaged');
    expect(returnReport(null, [])).toBeNull();
    expect(returnReport(undefined, undefined)).toBeNull();
  });
});
