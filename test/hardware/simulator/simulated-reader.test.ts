import { describe, expect, it } from 'vitest';
import { SimulatedReader } from '../../../hardware/simulator/simulated-reader.ts';
import { BadgeHub } from '../../../hardware/badge-hub.ts';

describe('SimulatedReader', () => {
  it('taps badges and scans item tags through the hub', async () => {
    const sim = new SimulatedReader();
    const seen: string[] = [];
    const rejected: string[] = [];
    let now = 0;
    const hub = new BadgeHub(
      [sim],
      { now: () => now },
      {
        badge: (c) => seen.push(`badge ${c}`),
        itemScan: (t) => seen.push(`item ${t}`),
        status: () => {},
        rejected: (_id, r) => rejected.push(r),
      },
    );
    hub.start();
    expect(sim.tap('NFC:04:A1:B2:C3')).toBe(true);
    expect(sim.tap('nfc:04a1b2c3')).toBe(true); // same card inside the window: dropped by the hub
    expect(sim.scan('LT-001')).toBe(true);
    expect(sim.tap('hello')).toBe(false);
    expect(sim.scan('')).toBe(false);
    expect(sim.scan('bad\ntag')).toBe(false);
    now += 5000;
    expect(sim.tap('nfc:04a1b2c3')).toBe(true);
    expect(seen).toEqual(['badge nfc:04a1b2c3', 'item LT-001', 'badge nfc:04a1b2c3']);
    expect(rejected).toEqual(['not a credential', 'not an item tag', 'not an item tag']);
    // The clock is set back a day (issue 14.2): the next tap of a known card still counts.
    now -= 86_400_000;
    expect(sim.tap('nfc:04a1b2c3')).toBe(true);
    expect(sim.tap('nfc:04a1b2c3')).toBe(true); // and a repeat right after is dropped again
    expect(seen).toEqual(['badge nfc:04a1b2c3', 'item LT-001', 'badge nfc:04a1b2c3', 'badge nfc:04a1b2c3']);
    await hub.stop();
    expect(sim.tap('nfc:04a1b2c3')).toBe(false);
  });
});
