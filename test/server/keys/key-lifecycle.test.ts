/** The one retirement rule, with numbers. */
import { describe, expect, it } from 'vitest';
import { ROSTER_TTL_S } from '../../../protocol/index.ts';
import {
  KEY_RETIREMENT_MS,
  keyLifecycle,
  nextKeyId,
  LONGEST_TOKEN_LIFETIME_MS,
  RETIREMENT_MARGIN_MS,
} from '../../../server/keys/key-lifecycle.ts';

const H = 3_600_000;
const phases = (keys: { kid: string; createdAt: number }[], now: number, publishAheadMs = 0) =>
  keyLifecycle(keys, now, { publishAheadMs }).map((l) => `${l.key.kid}:${l.phase}`);

describe('keyLifecycle', () => {
  it('keeps a superseded key for the offline roster lifetime (the longest token) plus a margin', () => {
    expect(LONGEST_TOKEN_LIFETIME_MS).toBe(ROSTER_TTL_S * 1000);
    expect(LONGEST_TOKEN_LIFETIME_MS).toBe(24 * H);
    expect(RETIREMENT_MARGIN_MS).toBe(1 * H);
    expect(KEY_RETIREMENT_MS).toBe(25 * H);
  });

  it('one key signs from its creation; a newer key takes over; the old one retires 25 h later', () => {
    const a = { kid: 'a', createdAt: 1_000 };
    const b = { kid: 'b', createdAt: 10 * H };
    expect(phases([a], 0)).toEqual(['a:signing']); // a clock behind the creator still signs with it
    expect(phases([b, a], 5 * H)).toEqual(['a:signing', 'b:pending']);
    expect(phases([a, b], 10 * H)).toEqual(['a:retiring', 'b:signing']);
    expect(phases([a, b], 35 * H - 1)).toEqual(['a:retiring', 'b:signing']);
    expect(phases([a, b], 35 * H)).toEqual(['a:retired', 'b:signing']);
    const [la, lb] = keyLifecycle([a, b], 12 * H, { publishAheadMs: 0 });
    expect(la).toMatchObject({ signsFrom: 1_000, supersededAt: 10 * H, retiresAt: 35 * H });
    expect(lb).toMatchObject({ signsFrom: 10 * H, supersededAt: null, retiresAt: null });
  });

  it('with publish-ahead, a new key is published first and signs later; retirement counts from then', () => {
    const ahead = 20_000;
    const a = { kid: 'a', createdAt: 0 };
    const b = { kid: 'b', createdAt: 100 * H };
    expect(phases([a, b], 100 * H, ahead)).toEqual(['a:signing', 'b:pending']);
    expect(phases([a, b], 100 * H + ahead - 1, ahead)).toEqual(['a:signing', 'b:pending']);
    expect(phases([a, b], 100 * H + ahead, ahead)).toEqual(['a:retiring', 'b:signing']);
    expect(keyLifecycle([a, b], 0, { publishAheadMs: ahead })[0]!.retiresAt).toBe(125 * H + ahead);
    expect(phases([a, b], 125 * H + ahead, ahead)).toEqual(['a:retired', 'b:signing']);
    // The first key has nothing to hand over from: it signs at once.
    expect(phases([b], 100 * H, ahead)).toEqual(['b:signing']);
  });

  it('three keys: each retires 25 h after the next one took over', () => {
    const keys = [
      { kid: 'k1', createdAt: 0 },
      { kid: 'k2', createdAt: 10 * H },
      { kid: 'k3', createdAt: 20 * H },
    ];
    expect(phases(keys, 20 * H)).toEqual(['k1:retiring', 'k2:retiring', 'k3:signing']);
    expect(phases(keys, 35 * H)).toEqual(['k1:retired', 'k2:retiring', 'k3:signing']);
    expect(phases(keys, 45 * H)).toEqual(['k1:retired', 'k2:retired', 'k3:signing']);
  });

  it('orders keys made in the same millisecond by kid, so every replica picks the same signer', () => {
    const x = { kid: 'x', createdAt: 5 };
    const y = { kid: 'y', createdAt: 5 };
    expect(phases([y, x], 5)).toEqual(['x:retiring', 'y:signing']);
    expect(phases([x, y], 5)).toEqual(['x:retiring', 'y:signing']);
  });

  it('takes another retirement period when given one', () => {
    const keys = [
      { kid: 'a', createdAt: 0 },
      { kid: 'b', createdAt: 100 },
    ];
    expect(keyLifecycle(keys, 150, { publishAheadMs: 0, retireAfterMs: 50 })[0]!.phase).toBe('retired');
    expect(keyLifecycle(keys, 149, { publishAheadMs: 0, retireAfterMs: 50 })[0]!.phase).toBe('retiring');
  });
});

describe('nextKeyId', () => {
  const at = Date.parse('2026-03-02T09:00:00.000Z');
  const newest = { kid: '2026-03-02-80000000', createdAt: at };

  it('names a key by its date and a random suffix', () => {
    expect(nextKeyId(at + 5, newest, () => 0xabc)).toEqual({ kid: '2026-03-02-00000abc', createdAt: at + 5 });
    expect(nextKeyId(at, undefined, () => 0xffffffff)).toEqual({ kid: '2026-03-02-ffffffff', createdAt: at });
  });

  it('in the same millisecond as the newest key, or from a clock behind it, still sorts after it', () => {
    for (const now of [at, at - 3_600_000]) {
      for (const r of [0, 1, 0x7fffffff, 0xffffffff]) {
        const made = nextKeyId(now, newest, () => r);
        expect(made.createdAt).toBe(at);
        expect(made.kid > newest.kid).toBe(true);
        expect(made.kid).toMatch(/^2026-03-02-[0-9a-f]{8}$/);
        const order = keyLifecycle([made, newest], at, { publishAheadMs: 0 }).map((l) => l.key.kid);
        expect(order).toEqual([newest.kid, made.kid]);
      }
    }
  });

  it('a millisecond later when no suffix is left above the newest, or its kid has another shape', () => {
    expect(nextKeyId(at, { kid: '2026-03-02-ffffffff', createdAt: at }, () => 7)).toEqual({
      kid: '2026-03-02-00000007',
      createdAt: at + 1,
    });
    expect(nextKeyId(at, { kid: 'imported-key', createdAt: at }, () => 7).createdAt).toBe(at + 1);
  });
});
