/**
 * Issue 17: an unknown badge and an inactive person reach the kiosk as the same refusal
 * (BADGE_DENIED), so the one bilingual screen cannot tell them apart; the kiosk's helpContact
 * setting (RENTAL_KIOSK_HELP) travels in the view for that screen. Real kiosk core and server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../protocol/config/resolve.ts';
import { KIOSK_DEFAULTS, KIOSK_ENV, KioskConfig } from '../../protocol/config/kiosk-config.ts';
import { DEMO_PEOPLE } from '../../server/seed/demo.ts';
import { startTestKiosk, type TestKiosk } from '../fixtures/kiosk.ts';
import { startTestServer, type TestServer } from '../fixtures/server.ts';

const HELP = '장비실 (내선 1234) / Equipment room, ext. 1234';
let server: TestServer;
let kiosk: TestKiosk;

beforeAll(async () => {
  server = await startTestServer();
  kiosk = await startTestKiosk({
    serverUrl: server.url,
    enrollCode: await server.enrollmentCode(),
    config: { helpContact: HELP },
  });
  await kiosk.waitForView((v) => v.items.length > 0, 'the catalog');
});
afterAll(async () => {
  await kiosk?.dispose();
  await server?.dispose();
});

async function refusal(badge: string) {
  await kiosk.core.api.endSession({});
  kiosk.core.badge(badge);
  const v = await kiosk.waitForView((v) => v.screen === 'denied' || v.screen === 'session', 'an answer');
  return { screen: v.screen, error: v.error, session: v.session, help: v.status.helpContact };
}

it('an inactive person and an unknown badge get the same refusal, with whom to ask', async () => {
  const { store } = server.deps();
  const seoyeon = await store.findUserByEmail(DEMO_PEOPLE[1].email);
  await store.setUserActive(seoyeon!.id, false);
  const inactive = await refusal(DEMO_PEOPLE[1].badge);
  const unknown = await refusal('nfc:0badbadbad0042');
  expect(inactive).toEqual({ screen: 'denied', error: 'BADGE_DENIED', session: null, help: HELP });
  expect(unknown).toEqual(inactive);
});

it('RENTAL_KIOSK_HELP sets it; left unset, there is none; too long is refused', () => {
  const resolve = (env: Record<string, string>) =>
    resolveConfig({ schema: KioskConfig, defaults: KIOSK_DEFAULTS, env, bindings: KIOSK_ENV });
  expect(resolve({ RENTAL_KIOSK_HELP: HELP }).helpContact).toBe(HELP);
  expect(resolve({}).helpContact).toBeUndefined();
  expect(() => resolve({ RENTAL_KIOSK_HELP: 'x'.repeat(121) })).toThrow(ConfigError);
});
