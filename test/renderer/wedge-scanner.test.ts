import { describe, expect, it } from 'vitest';
import { WedgeScanner } from '../../src-renderer/state/wedge-scanner.ts';

function type(scanner: WedgeScanner, text: string, start: number, gapMs: number): string | null {
  let t = start;
  let out: string | null = null;
  for (const ch of [...text, 'Enter']) {
    out = scanner.feed(ch, t);
    t += gapMs;
  }
  return out;
}

describe('WedgeScanner', () => {
  it('recognises fast input ended by Enter as a tag', () => {
    expect(type(new WedgeScanner(), 'LT-001', 0, 8)).toBe('LT-001');
  });

  it('ignores a person typing at human speed', () => {
    expect(type(new WedgeScanner(), 'LT-001', 0, 150)).toBeNull();
  });

  it('drops slow leading keys and keeps the fast burst', () => {
    const s = new WedgeScanner();
    s.feed('x', 0);
    expect(type(s, 'CM-002', 1000, 5)).toBe('CM-002');
  });

  it('ignores too-short bursts and modifier keys reset the buffer', () => {
    const s = new WedgeScanner();
    expect(type(s, 'ab', 0, 5)).toBeNull();
    s.feed('L', 100);
    s.feed('Shift', 105);
    expect(type(s, 'T1', 110, 5)).toBeNull();
  });
});
