/**
 * Test page: installs the in-memory FakeKiosk as `window.kioskApi` (the same door the
 * Electron preload uses), then starts the real renderer. Tests drive `window.fake`.
 */
import { FakeKiosk } from '../fixture/fake-kiosk.ts';

declare global {
  interface Window {
    fake: FakeKiosk;
  }
}

const params = new URLSearchParams(window.location.search);
const fake = new FakeKiosk({ now: params.has('now') ? Date.parse(params.get('now')!) : Date.now() });
window.fake = fake;
window.kioskApi = fake.api;
await import('../../../src-renderer/main.tsx');
