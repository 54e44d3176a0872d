import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALL_WIEGAND_FORMATS,
  WIEGAND_FORMATS,
  decodeWiegand,
  encodeWiegand,
  type Bit,
} from '../../../hardware/wiegand/decoder.ts';
import { isCredential } from '../../../protocol/credentials.ts';

const bitsOf = (s: string) => [...s].map((c) => Number(c) as Bit);

describe('Wiegand decoder', () => {
  it('decodes a known H10301 frame (facility 1, card 1)', () => {
    // Even parity over 00000001 0000 = 1 one -> 1; odd parity over 000000000001 = 1 one -> 0.
    const r = decodeWiegand(bitsOf('10000000100000000000000010'));
    expect(r).toMatchObject({ ok: true, credential: 'wiegand26:1:1', format: 'H10301' });
  });

  it('decodes a 37-bit frame whose value is past 32 bits', () => {
    const bits = encodeWiegand('H10304', 65535n, 524287n);
    const r = decodeWiegand(bits);
    expect(r).toMatchObject({ ok: true, credential: 'wiegand37:65535:524287', facility: 65535n });
  });

  it('decodes only with enabled formats', () => {
    const bits = encodeWiegand('C1000', 4095n, 1048575n);
    expect(decodeWiegand(bits, ['H10301'])).toEqual({ ok: false, reason: 'unknown-length', bits: 35 });
    expect(decodeWiegand(bits, ['C1000'])).toMatchObject({ ok: true, credential: 'wiegand35:4095:1048575' });
  });

  for (const name of ALL_WIEGAND_FORMATS) {
    const f = WIEGAND_FORMATS[name];
    const facility = fc.bigInt(0n, (1n << BigInt(f.facility.length)) - 1n);
    const card = fc.bigInt(0n, (1n << BigInt(f.card.length)) - 1n);

    it(`${name}: encode then decode gives back facility and card`, () => {
      fc.assert(
        fc.property(facility, card, (fac, c) => {
          const r = decodeWiegand(encodeWiegand(name, fac, c), [name]);
          expect(r).toMatchObject({ ok: true, facility: fac, card: c, format: name });
          expect(r.ok && isCredential(r.credential)).toBe(true);
        }),
      );
    });

    it(`${name}: every single flipped bit is caught by parity`, () => {
      // Every bit of these four formats is a parity bit or covered by one, so the parity
      // guarantees that any one flipped bit is detected, wherever it is.
      fc.assert(
        fc.property(facility, card, fc.nat(f.bits - 1), (fac, c, at) => {
          const bits = encodeWiegand(name, fac, c);
          bits[at] = (1 - bits[at]!) as Bit;
          expect(decodeWiegand(bits, [name])).toEqual({ ok: false, reason: 'parity', bits: f.bits });
        }),
      );
    });
  }

  it('never throws on random garbage', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 80 }), (junk) => {
        const r = decodeWiegand(junk);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Bit>(0, 1), { maxLength: 80 }), (bits) => {
        const r = decodeWiegand(bits);
        if (r.ok) expect(isCredential(r.credential)).toBe(true);
      }),
    );
    expect(decodeWiegand('0101' as unknown as unknown[])).toMatchObject({ ok: false, reason: 'not-bits' });
  });

  it('refuses to encode values that do not fit', () => {
    expect(() => encodeWiegand('H10301', 256n, 0n)).toThrow(RangeError);
  });
});
