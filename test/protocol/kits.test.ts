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
  it('property: the missing parts are those not back, in the kit’s order; any makes the return a report', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        fc.constantFrom(null, 'damaged' as const, 'incomplete' as const),
        (parts, back, condition) => {
          const cameBack = new Set(parts.filter((_, i) => back[i]));
          const missing = missingKitParts(parts, cameBack);
          expect(missing).toEqual(parts.filter((p) => !cameBack.has(p)));
          const report = returnReport(condition, missing);
          if (condition === 'damaged') expect(report).toBe('damaged');
          else if (missing.length > 0) expect(report).toBe('incomplete');
          else expect(report).toBe(condition);
        },
      ),
    );
  });
});
