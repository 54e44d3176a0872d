/**
 * Property-based fuzzing (fast-check) of the parsers that meet outside input: badge
 * credentials, Wiegand frames, config files and env. Each either answers or refuses with
 * its own typed outcome; none throws anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCredential, normalizeCredential } from '../../protocol/credentials.ts';
import { KIOSK_DEFAULTS, KIOSK_ENV, KioskConfig } from '../../protocol/config/kiosk-config.ts';
import { ConfigError, resolveConfig } from '../../protocol/config/resolve.ts';
import { SERVER_DEFAULTS, SERVER_ENV, ServerConfig } from '../../protocol/config/server-config.ts';
import { check } from '../../protocol/validate.ts';
import { ALL_WIEGAND_FORMATS, decodeWiegand } from '../../hardware/wiegand/decoder.ts';

const RUNS = { numRuns: 2_000 };

describe('credentials', () => {
  it('normalizes any string to a valid credential or null', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.stringMatching(/^(nfc|kbd|wiegand\d+):[0-9a-fA-F: ]{0,40}$/),
        ),
        (raw) => {
          const c = normalizeCredential(raw);
          expect(c === null || isCredential(c)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('wiegand frames', () => {
  it('decodes anything without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.constantFrom(0, 1), { maxLength: 64 }),
          fc.array(fc.anything(), { maxLength: 40 }),
        ),
        (bits) => {
          const r = decodeWiegand(bits);
          if (r.ok) expect(isCredential(r.credential)).toBe(true);
          else expect(['not-bits', 'unknown-length', 'parity']).toContain(r.reason);
        },
      ),
      RUNS,
    );
  });

  it('claims a credential only in the one enabled format', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_WIEGAND_FORMATS),
        fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: 26, maxLength: 37 }),
        (name, bits) => {
          const r = decodeWiegand(bits, [name]);
          // Whatever the input, a result claims a credential only for a frame of the format's length.
          if (r.ok) expect(r.format).toBe(name);
        },
      ),
      RUNS,
    );
  });
});

const envFor = (names: string[]) =>
  fc.dictionary(
    fc.constantFrom(...names),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom('true', 'false', '0', '-1', '1e9', ' '),
    ),
    { maxKeys: 5 },
  );

describe('config files and env', () => {
  for (const [name, schema, defaults, bindings] of [
    ['kiosk', KioskConfig, KIOSK_DEFAULTS, KIOSK_ENV],
    ['server', ServerConfig, SERVER_DEFAULTS, SERVER_ENV],
  ] as const) {
    it(`${name}: any file section and env resolve to a valid config or a ConfigError`, () => {
      const keys = Object.keys(defaults);
      const section = fc.oneof(
        fc.anything(),
        fc.dictionary(fc.constantFrom(...keys, 'extra'), fc.oneof(fc.jsonValue(), fc.constant(undefined)), {
          maxKeys: 6,
        }),
      );
      fc.assert(
        fc.property(section, envFor(bindings.map((b) => b.env)), (s, env) => {
          try {
            const config = resolveConfig({
              schema: schema as never,
              defaults: defaults as never,
              file: { path: 'f.json', section: s },
              env,
              bindings: [...bindings],
            });
            expect(check(schema, config)).toBe(true);
          } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
          }
        }),
        RUNS,
      );
    });
  }
});
