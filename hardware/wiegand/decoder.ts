/**
 * Pure Wiegand frame codec: bits in, `wiegand<bits>:<facility>:<card>` out.
 *
 * Frame lengths collide across vendors (there are several 34- and 37-bit layouts), so the
 * formats a site uses are configured; a frame is decoded only by an enabled format of its
 * length. Fields are read with BigInt because 35- and 37-bit frames do not fit the 32-bit
 * integers that JavaScript bit operators work on.
 *
 * Bit positions below count from 0 at the first bit on the wire (the leading parity bit).
 */
import type { Credential } from '../../protocol/credentials.ts';
import type { WiegandFormatName } from '../../protocol/config/hardware-config.ts';

export type { WiegandFormatName };

type Parity = { at: number; kind: 'even' | 'odd'; over: readonly number[] };

export type WiegandFormat = {
  name: WiegandFormatName;
  bits: 26 | 34 | 35 | 37;
  facility: { from: number; length: number };
  card: { from: number; length: number };
  /** Checked and computed in this order: a later parity bit may cover an earlier one. */
  parity: readonly Parity[];
};

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const WIEGAND_FORMATS: Record<WiegandFormatName, WiegandFormat> = {
  // HID H10301, the common 26-bit: 8-bit facility, 16-bit card.
  H10301: {
    name: 'H10301',
    bits: 26,
    facility: { from: 1, length: 8 },
    card: { from: 9, length: 16 },
    parity: [
      { at: 0, kind: 'even', over: range(1, 12) },
      { at: 25, kind: 'odd', over: range(13, 24) },
    ],
  },
  // HID H10306, 34-bit: 16-bit facility, 16-bit card.
  H10306: {
    name: 'H10306',
    bits: 34,
    facility: { from: 1, length: 16 },
    card: { from: 17, length: 16 },
    parity: [
      { at: 0, kind: 'even', over: range(1, 16) },
      { at: 33, kind: 'odd', over: range(17, 32) },
    ],
  },
  // HID Corporate 1000, 35-bit: 12-bit company id, 20-bit card. Two interleaved parity
  // bits, then bit 0 as odd parity over the whole rest of the frame.
  C1000: {
    name: 'C1000',
    bits: 35,
    facility: { from: 2, length: 12 },
    card: { from: 14, length: 20 },
    parity: [
      { at: 1, kind: 'even', over: range(2, 33).filter((p) => p % 3 !== 1) },
      { at: 34, kind: 'odd', over: range(1, 32).filter((p) => p % 3 !== 0) },
      { at: 0, kind: 'odd', over: range(1, 34) },
    ],
  },
  // HID H10304, 37-bit with facility: 16-bit facility, 19-bit card.
  H10304: {
    name: 'H10304',
    bits: 37,
    facility: { from: 1, length: 16 },
    card: { from: 17, length: 19 },
    parity: [
      { at: 0, kind: 'even', over: range(1, 18) },
      { at: 36, kind: 'odd', over: range(18, 35) },
    ],
  },
};

export const ALL_WIEGAND_FORMATS = Object.keys(WIEGAND_FORMATS) as WiegandFormatName[];

export type Bit = 0 | 1;

export type DecodeResult =
  | { ok: true; credential: Credential; format: WiegandFormatName; facility: bigint; card: bigint }
  | { ok: false; reason: 'unknown-length' | 'parity' | 'not-bits'; bits: number };

function field(bits: readonly Bit[], from: number, length: number): bigint {
  let v = 0n;
  for (let i = from; i < from + length; i++) v = (v << 1n) | BigInt(bits[i]!);
  return v;
}

function parityBit(bits: readonly Bit[], p: Parity): Bit {
  let ones = 0;
  for (const i of p.over) ones += bits[i]!;
  // Even parity: the parity bit makes the total count of ones even; odd: makes it odd.
  return (p.kind === 'even' ? ones % 2 : (ones + 1) % 2) as Bit;
}

/** Decode one frame with the first enabled format of its length. Never throws. */
export function decodeWiegand(
  bits: readonly unknown[],
  enabled: readonly WiegandFormatName[] = ALL_WIEGAND_FORMATS,
): DecodeResult {
  if (!Array.isArray(bits) || !bits.every((b) => b === 0 || b === 1)) {
    return { ok: false, reason: 'not-bits', bits: Array.isArray(bits) ? bits.length : 0 };
  }
  const frame = bits as readonly Bit[];
  const format = enabled.map((n) => WIEGAND_FORMATS[n]).find((f) => f && f.bits === frame.length);
  if (!format) return { ok: false, reason: 'unknown-length', bits: frame.length };
  for (const p of format.parity) {
    if (frame[p.at] !== parityBit(frame, p)) return { ok: false, reason: 'parity', bits: frame.length };
  }
  const facility = field(frame, format.facility.from, format.facility.length);
  const card = field(frame, format.card.from, format.card.length);
  return {
    ok: true,
    credential: `wiegand${format.bits}:${facility}:${card}`,
    format: format.name,
    facility,
    card,
  };
}

/** Build a valid frame (tests, the simulator, bench). Throws on values that do not fit. */
export function encodeWiegand(name: WiegandFormatName, facility: bigint, card: bigint): Bit[] {
  const format = WIEGAND_FORMATS[name];
  const bits: Bit[] = new Array<Bit>(format.bits).fill(0);
  const put = (value: bigint, { from, length }: { from: number; length: number }, what: string) => {
    if (value < 0n || value >= 1n << BigInt(length)) {
      throw new RangeError(`${what} ${value} does not fit ${length} bits of ${name}`);
    }
    for (let i = 0; i < length; i++) bits[from + i] = Number((value >> BigInt(length - 1 - i)) & 1n) as Bit;
  };
  put(facility, format.facility, 'facility');
  put(card, format.card, 'card');
  for (const p of format.parity) bits[p.at] = parityBit(bits, p);
  return bits;
}
