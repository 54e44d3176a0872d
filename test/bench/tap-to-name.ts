/**
 * tap_to_name: a badge event into the kiosk core -> the person's name painted in real
 * Chromium (the UI served by the web host, over its WebSocket). The page watches the DOM
 * and stamps the first animation frame after the name appears; both sides stamp with
 * performance.timeOrigin + performance.now() (the same wall clock, sub-millisecond).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credential } from '../../protocol/index.ts';
import { KIOSK_DEFAULTS } from '../../protocol/config/kiosk-config.ts';
import { createKiosk, type Kiosk } from '../../src-main/core/create-kiosk.ts';
import { silentLogger } from '../../src-main/core/ports.ts';
import { createWebHost, type WebHost } from '../../src-main/web-host/web-host.ts';
import { launchChromium, type LaunchedBrowser } from '../support/chromium.ts';
import type { BenchUser } from './sync-kiosks.ts';
import { percentile, round } from './stats.ts';

/**
 * Runs in the page; a string, not a function, because tsx's transform would name the
 * function with a helper that does not exist in the page.
 */
const WAIT_FOR_NAME = `new Promise((resolve) => {
  const name = NAME;
  const done = () => requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
  if (document.body.innerText.includes(name)) return done();
  const obs = new MutationObserver(() => {
    if (!document.body.innerText.includes(name)) return;
    obs.disconnect();
    done();
  });
  obs.observe(document.body, { subtree: true, childList: true, characterData: true });
})`;

/** A page-side wait, evaluated over CDP (the UI's CSP forbids the eval waitForFunction uses). */
const until = (condition: string) =>
  `new Promise((resolve) => { const t = () => (${condition}) ? resolve(true) : requestAnimationFrame(t); t(); })`;

const stamp = () => performance.timeOrigin + performance.now();

export async function benchTapToName(opts: {
  serverUrl: string;
  enrollCode: string;
  rendererDir: string;
  people: BenchUser[];
  taps: number;
  /** Offline: the network is cut after the roster is fetched; the signed roster names the person. */
  offline?: boolean;
}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rental-bench-tap-'));
  let networkDown = false;
  // Whatever failed on the way (no Chromium, a refused roster), what was started is closed:
  // a kiosk or web host left open would keep the whole bench from exiting.
  let kiosk: Kiosk | undefined;
  let host: WebHost | undefined;
  let chromium: LaunchedBrowser | undefined;
  try {
    kiosk = await createKiosk(
      { ...KIOSK_DEFAULTS, dataDir, serverUrl: opts.serverUrl, simulator: true },
      {
        fetch: (input, init) =>
          networkDown ? Promise.reject(new TypeError('fetch failed: network is down')) : fetch(input, init),
      },
      { enrollCode: opts.enrollCode },
    );
    await kiosk.start();
    if (opts.offline) {
      await kiosk.roster.refresh(true);
      networkDown = true;
    }
    host = createWebHost({ api: kiosk.core.api, rendererDir: opts.rendererDir, logger: silentLogger });
    const { url } = await host.listen('127.0.0.1', 0);
    chromium = await launchChromium();
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.evaluate(until('document.body.innerText.trim().length > 0'));
    const samples: number[] = [];
    for (let i = 0; i < opts.taps + 5; i++) {
      const person = opts.people[i % opts.people.length]!;
      const seen = page.evaluate(
        WAIT_FOR_NAME.replace('NAME', JSON.stringify(person.displayName)),
      ) as Promise<number>;
      await page.waitForTimeout(5); // the observer is in place
      const t0 = stamp();
      kiosk.core.badge(person.badge as Credential);
      const t1 = await Promise.race([
        seen,
        page.waitForTimeout(5_000).then(async () => {
          throw new Error(
            `name not shown; screen: ${(await page.evaluate('document.body.innerText')) as string}`.slice(
              0,
              300,
            ),
          );
        }),
      ]);
      if (i >= 5) samples.push(t1 - t0); // the first taps warm the JIT and the connection
      await kiosk.core.api.endSession({});
      await page.evaluate(until(`!document.body.innerText.includes(${JSON.stringify(person.displayName)})`));
    }
    if (opts.offline && kiosk.core.state().screen !== 'idle') throw new Error('offline run did not end idle');
    return {
      p50_ms: round(percentile(samples, 50), 1),
      p95_ms: round(percentile(samples, 95), 1),
      taps: samples.length,
    };
  } finally {
    await chromium?.close();
    await host?.close();
    await kiosk?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
