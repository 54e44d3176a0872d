/** The kiosk config's hardware section: defaults, schema errors and cross-field checks. */
import { describe, expect, it } from 'vitest';
import { KIOSK_DEFAULTS, KIOSK_ENV, KioskConfig } from '../../../protocol/config/kiosk-config.ts';
import { resolveHardwareConfig } from '../../../protocol/config/hardware-config.ts';
import { ConfigError, resolveConfig } from '../../../protocol/config/resolve.ts';

const fromFile = (section: unknown) =>
  resolveConfig({
    schema: KioskConfig,
    defaults: KIOSK_DEFAULTS,
    file: { path: 'rental.config.json', section },
    env: {},
    bindings: KIOSK_ENV,
  });

describe('hardware config', () => {
  it('defaults: NFC and keyboard wedge on, no Wiegand, outputs off', () => {
    const h = resolveHardwareConfig(undefined);
    expect(h.nfc).toEqual({ enabled: true, readers: [], connectTimeoutMs: 2000 });
    expect(h.wiegand).toEqual([]);
    expect(h.outputs.enabled).toBe(false);
    expect(h.keyboardWedge.enabled).toBe(true);
    expect(h.dedupeMs).toBe(1500);
  });

  it('fills defaults in a partial file section', () => {
    const config = fromFile({
      hardware: {
        wiegand: [{ d0: 17, d1: 27, formats: ['H10301', 'C1000'] }],
        outputs: { enabled: true, leds: { green: 5 }, lockers: { A1: { bcm: 22, activeLow: true } } },
      },
    });
    const h = resolveHardwareConfig(config.hardware);
    expect(h.wiegand).toEqual([
      {
        id: 'wiegand',
        backend: 'gpiomon',
        chip: 'gpiochip0',
        d0: 17,
        d1: 27,
        formats: ['H10301', 'C1000'],
        gapMs: 25,
      },
    ]);
    expect(h.outputs.leds).toEqual({ green: { bcm: 5, activeLow: false } });
    expect(h.outputs.lockers).toEqual({ A1: { bcm: 22, activeLow: true } });
  });

  it('names the field of a schema mistake', () => {
    expect(() => fromFile({ hardware: { wiegand: [{ d0: 17, d1: 99, formats: ['H10301'] }] } })).toThrow(
      /rental\.config\.json: \/hardware\/wiegand\/0\/d1/,
    );
    expect(() => fromFile({ hardware: { wiegand: [{ d0: 17, d1: 27, formats: ['H99999'] }] } })).toThrow(
      ConfigError,
    );
    expect(() => fromFile({ hardware: { nfc: { enable: true } } })).toThrow(/hardware\/nfc/);
  });

  it('refuses one pin used twice', () => {
    expect(() =>
      resolveHardwareConfig({
        wiegand: [{ d0: 17, d1: 27, formats: ['H10301'] }],
        outputs: { enabled: true, buzzer: 27 },
      }),
    ).toThrow(new ConfigError('hardware.outputs.buzzer: GPIO 27 is already used by hardware.wiegand[0].d1'));
    expect(() => resolveHardwareConfig({ wiegand: [{ d0: 4, d1: 4, formats: ['H10301'] }] })).toThrow(
      'hardware.wiegand[0].d1: GPIO 4 is already used by hardware.wiegand[0].d0',
    );
  });

  it('refuses a relay pulse longer than its cap, and a broken pattern', () => {
    expect(() => resolveHardwareConfig({ outputs: { relayPulseMs: 3000, relayMaxMs: 1000 } })).toThrow(
      'hardware.outputs.relayPulseMs: 3000 is longer than relayMaxMs (1000)',
    );
    expect(() => resolveHardwareConfig({ keyboardWedge: { badgePattern: '([0-9' } })).toThrow(
      /hardware\.keyboardWedge\.badgePattern: not a valid pattern/,
    );
  });
});
