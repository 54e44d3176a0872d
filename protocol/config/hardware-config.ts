/**
 * The `hardware` section of the kiosk's config: which readers and outputs are on, their
 * pins, Wiegand formats and time windows. Pins are BCM numbers (the GPIO numbers printed
 * on Raspberry Pi pinout diagrams), never sysfs numbers, which vary by kernel and model.
 *
 * Every field is optional in the file; resolveHardwareConfig fills the defaults and checks
 * what a schema cannot (one pin used twice, a pulse longer than its cap, a bad pattern).
 * Example:
 *   "hardware": {
 *     "wiegand": [{ "backend": "gpiomon", "d0": 17, "d1": 27, "formats": ["H10301"] }],
 *     "outputs": { "enabled": true, "leds": { "green": 5, "red": 6 }, "buzzer": 12,
 *                  "lockers": { "A1": { "bcm": 22, "activeLow": true } } }
 *   }
 */
import { Type, type Static } from '@sinclair/typebox';
import { Strict } from '../wire/common.ts';
import { ConfigError } from './resolve.ts';

export const WIEGAND_FORMAT_NAMES = ['H10301', 'H10306', 'C1000', 'H10304'] as const;
export type WiegandFormatName = (typeof WIEGAND_FORMAT_NAMES)[number];

const Bcm = Type.Integer({ minimum: 0, maximum: 53 });
const Pin = Type.Union([Bcm, Strict({ bcm: Bcm, activeLow: Type.Optional(Type.Boolean()) })]);
const Ms = (minimum: number, maximum: number) => Type.Optional(Type.Integer({ minimum, maximum }));

export const HardwareConfig = Strict({
  /** Repeats of the same card (or item tag) inside this window are dropped. */
  dedupeMs: Ms(0, 60_000),
  nfc: Type.Optional(
    Strict({
      enabled: Type.Optional(Type.Boolean()),
      /** Use only PC/SC readers whose name contains one of these; empty: every reader. */
      readers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 8 })),
      connectTimeoutMs: Ms(200, 10_000),
    }),
  ),
  wiegand: Type.Optional(
    Type.Array(
      Strict({
        id: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,32}$' })),
        /** gpiomon (libgpiod tools, recommended on current Raspberry Pi OS) or onoff (sysfs). */
        backend: Type.Optional(Type.Union([Type.Literal('gpiomon'), Type.Literal('onoff')])),
        /** gpiomon only: the GPIO chip of the header (gpiochip0 on a Pi 4 and on a Pi 5 with kernel 6.6.45+). */
        chip: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_./-]{1,64}$' })),
        d0: Bcm,
        d1: Bcm,
        formats: Type.Array(Type.Union(WIEGAND_FORMAT_NAMES.map((f) => Type.Literal(f))), {
          minItems: 1,
          maxItems: 4,
        }),
        /** Quiet time that ends a frame. */
        gapMs: Ms(5, 500),
      }),
      { maxItems: 4 },
    ),
  ),
  gpio: Type.Optional(
    Strict({
      /** sysfs number of BCM pin 0; found from /sys/class/gpio when left out. */
      base: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096 })),
    }),
  ),
  outputs: Type.Optional(
    Strict({
      enabled: Type.Optional(Type.Boolean()),
      leds: Type.Optional(
        Strict({ green: Type.Optional(Pin), red: Type.Optional(Pin), amber: Type.Optional(Pin) }),
      ),
      buzzer: Type.Optional(Pin),
      /** Locker slot name -> relay pin. */
      lockers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }), Pin)),
      relayPulseMs: Ms(50, 10_000),
      /** Hard cap on any relay pulse. */
      relayMaxMs: Ms(50, 10_000),
    }),
  ),
  keyboardWedge: Type.Optional(
    Strict({
      enabled: Type.Optional(Type.Boolean()),
      /** A scanner types faster than this between keys; a person does not. */
      maxInterKeyMs: Ms(5, 200),
      minLength: Type.Optional(Type.Integer({ minimum: 2, maximum: 32 })),
      /** Scans matching this are badges (`kbd:<digits>`): digits only. */
      badgePattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      /** Other scans matching this are item tags. */
      itemPattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    }),
  ),
});
export type HardwareConfig = Static<typeof HardwareConfig>;

export type ResolvedPin = { bcm: number; activeLow: boolean };
export type ResolvedHardware = {
  dedupeMs: number;
  nfc: { enabled: boolean; readers: string[]; connectTimeoutMs: number };
  wiegand: {
    id: string;
    backend: 'gpiomon' | 'onoff';
    chip: string;
    d0: number;
    d1: number;
    formats: WiegandFormatName[];
    gapMs: number;
  }[];
  gpio: { base?: number };
  outputs: {
    enabled: boolean;
    leds: { green?: ResolvedPin; red?: ResolvedPin; amber?: ResolvedPin };
    buzzer?: ResolvedPin;
    lockers: Record<string, ResolvedPin>;
    relayPulseMs: number;
    relayMaxMs: number;
  };
  keyboardWedge: {
    enabled: boolean;
    maxInterKeyMs: number;
    minLength: number;
    badgePattern: string;
    itemPattern: string;
  };
};

type PinInput = number | { bcm: number; activeLow?: boolean | undefined };
const pin = (p: PinInput): ResolvedPin =>
  typeof p === 'number' ? { bcm: p, activeLow: false } : { bcm: p.bcm, activeLow: p.activeLow ?? false };

/** Defaults plus the checks a schema cannot express. Throws ConfigError naming the field. */
export function resolveHardwareConfig(raw: HardwareConfig | undefined): ResolvedHardware {
  const h = raw ?? {};
  const o = h.outputs ?? {};
  const w = h.keyboardWedge ?? {};
  const resolved: ResolvedHardware = {
    dedupeMs: h.dedupeMs ?? 1500,
    nfc: {
      enabled: h.nfc?.enabled ?? true,
      readers: h.nfc?.readers ?? [],
      connectTimeoutMs: h.nfc?.connectTimeoutMs ?? 2000,
    },
    wiegand: (h.wiegand ?? []).map((r, i) => ({
      id: r.id ?? (i === 0 ? 'wiegand' : `wiegand-${i + 1}`),
      backend: r.backend ?? 'gpiomon',
      chip: r.chip ?? 'gpiochip0',
      d0: r.d0,
      d1: r.d1,
      formats: [...r.formats],
      gapMs: r.gapMs ?? 25,
    })),
    gpio: h.gpio?.base !== undefined ? { base: h.gpio.base } : {},
    outputs: {
      enabled: o.enabled ?? false,
      leds: Object.fromEntries(
        Object.entries(o.leds ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, pin(v)]])),
      ),
      ...(o.buzzer !== undefined ? { buzzer: pin(o.buzzer) } : {}),
      lockers: Object.fromEntries(Object.entries(o.lockers ?? {}).map(([k, v]) => [k, pin(v)])),
      relayPulseMs: o.relayPulseMs ?? 500,
      relayMaxMs: o.relayMaxMs ?? 2000,
    },
    keyboardWedge: {
      enabled: w.enabled ?? true,
      maxInterKeyMs: w.maxInterKeyMs ?? 35,
      minLength: w.minLength ?? 4,
      badgePattern: w.badgePattern ?? '^[0-9]{4,32}$',
      itemPattern: w.itemPattern ?? '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$',
    },
  };
  checkHardware(resolved);
  return resolved;
}

function checkHardware(h: ResolvedHardware): void {
  const used = new Map<number, string>();
  const claim = (bcm: number, where: string) => {
    const other = used.get(bcm);
    if (other) throw new ConfigError(`${where}: GPIO ${bcm} is already used by ${other}`);
    used.set(bcm, where);
  };
  const ids = new Set<string>();
  h.wiegand.forEach((r, i) => {
    if (ids.has(r.id)) throw new ConfigError(`hardware.wiegand[${i}].id: "${r.id}" is used twice`);
    ids.add(r.id);
    claim(r.d0, `hardware.wiegand[${i}].d0`);
    claim(r.d1, `hardware.wiegand[${i}].d1`);
  });
  if (h.outputs.enabled) {
    for (const [name, p] of Object.entries(h.outputs.leds)) claim(p.bcm, `hardware.outputs.leds.${name}`);
    if (h.outputs.buzzer) claim(h.outputs.buzzer.bcm, 'hardware.outputs.buzzer');
    for (const [slot, p] of Object.entries(h.outputs.lockers))
      claim(p.bcm, `hardware.outputs.lockers.${slot}`);
  }
  if (h.outputs.relayPulseMs > h.outputs.relayMaxMs) {
    throw new ConfigError(
      `hardware.outputs.relayPulseMs: ${h.outputs.relayPulseMs} is longer than relayMaxMs (${h.outputs.relayMaxMs})`,
    );
  }
  for (const key of ['badgePattern', 'itemPattern'] as const) {
    try {
      new RegExp(h.keyboardWedge[key]);
    } catch (err) {
      throw new ConfigError(`hardware.keyboardWedge.${key}: not a valid pattern (${(err as Error).message})`);
    }
  }
}
