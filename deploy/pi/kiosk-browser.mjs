#!/usr/bin/env node
// The kiosk screen without Electron: Chromium in kiosk mode on the web host's page, watched
// the way the Electron shell watches its window. Started by rental-kiosk-browser.service
// (a systemd user unit of the desktop user); needs only Node 20 and Chromium.
//
//   - waits for the web host to answer, then starts Chromium full screen (--kiosk) on a fresh
//     profile in $XDG_RUNTIME_DIR (nothing to restore after a power cut, no SD-card writes);
//   - talks to Chromium over --remote-debugging-pipe (a pipe only this process holds; no
//     debugging port is opened) and every few seconds asks the page where it is:
//       a crashed page ("Aw, Snap!")        -> reloaded, with backoff when it keeps crashing
//       a hung page (no answer in 15 s)     -> Chromium is ended; systemd starts it again
//       an error page (web host restarting) -> the kiosk URL is loaded again
//       any other page                      -> the kiosk URL is loaded again
//   - when Chromium exits (a crash, Alt+F4, Ctrl+Q) this process exits too, non-zero, and
//     systemd (Restart=always) starts both again.
//
// Settings (environment): KIOSK_URL (default http://127.0.0.1:8421/), KIOSK_BROWSER (the
// Chromium binary; default the first of chromium, chromium-browser on PATH),
// KIOSK_BROWSER_FLAGS (extra flags, space-separated), KIOSK_CHECK_MS (default 5000),
// KIOSK_HANG_MS (default 15000). Logs one line per event to stdout (the journal).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const URL_ = new URL(process.env.KIOSK_URL ?? 'http://127.0.0.1:8421/');
const CHECK_MS = Number(process.env.KIOSK_CHECK_MS ?? 5_000);
const HANG_MS = Number(process.env.KIOSK_HANG_MS ?? 15_000);
const WAIT_FOR_HOST_MS = 60_000;

const log = (msg, extra = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), proc: 'kiosk-browser', msg, ...extra }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findBrowser() {
  if (process.env.KIOSK_BROWSER) return process.env.KIOSK_BROWSER;
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of (process.env.PATH ?? '/usr/bin').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  throw new Error('no Chromium found (apt install chromium, or set KIOSK_BROWSER)');
}

/** The web host answers (any HTTP status) within the wait, or we go on and let the watchdog retry. */
async function waitForHost() {
  const until = Date.now() + WAIT_FOR_HOST_MS;
  while (Date.now() < until) {
    try {
      await fetch(URL_, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      await sleep(1_000);
    }
  }
  return false;
}

const FLAGS = [
  '--kiosk',
  '--noerrdialogs',
  '--disable-infobars',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-session-crashed-bubble',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--disable-features=Translate,TranslateUI,OverscrollHistoryNavigation,MediaRouter',
  '--disable-component-update',
  '--check-for-update-interval=31536000',
  '--password-store=basic',
  '--deny-permission-prompts',
  '--ozone-platform-hint=auto',
  '--remote-debugging-pipe',
];

/** Chrome DevTools Protocol over the pipe: JSON messages separated by NUL bytes. */
function cdp(toChrome, fromChrome) {
  let nextId = 1;
  let buffer = '';
  const pending = new Map();
  const listeners = new Set();
  fromChrome.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const { resolve, reject } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
    }
  });
  return {
    send(method, params = {}, sessionId, timeoutMs = HANG_MS) {
      const id = nextId++;
      toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(Object.assign(new Error(`${method}: no answer in ${timeoutMs} ms`), { timeout: true }));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
      });
    },
    on(listener) {
      listeners.add(listener);
    },
  };
}

async function main() {
  const browser = findBrowser();
  if (!(await waitForHost()))
    log('web host not answering yet; starting the browser anyway', { url: URL_.href });

  const runtime =
    process.env.XDG_RUNTIME_DIR && existsSync(process.env.XDG_RUNTIME_DIR)
      ? process.env.XDG_RUNTIME_DIR
      : tmpdir();
  mkdirSync(runtime, { recursive: true });
  const profile = mkdtempSync(join(runtime, 'rental-kiosk-browser-'));
  const extra = (process.env.KIOSK_BROWSER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(browser, [...FLAGS, ...extra, `--user-data-dir=${profile}`, URL_.href], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'],
  });
  log('browser started', { browser, pid: child.pid, url: URL_.href });

  let stopping = false;
  const cleanup = () => rmSync(profile, { recursive: true, force: true });
  const stop = (signal) => {
    stopping = true;
    log('stopping', { signal });
    child.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  child.on('exit', (code, signal) => {
    cleanup();
    if (stopping) process.exit(0);
    log('browser exited', { code, signal });
    process.exit(1);
  });
  const fail = (why) => {
    log(why);
    child.kill('SIGKILL');
  };

  const chrome = cdp(child.stdio[3], child.stdio[4]);
  let session = null;
  let up = false;
  let retrying = false;
  let crashes = [];
  let crashedTarget = null;

  chrome.on((msg) => {
    if (msg.method === 'Target.targetCrashed') {
      crashedTarget = msg.params.targetId;
      log('kiosk page crashed', { status: msg.params.status, errorCode: msg.params.errorCode });
    }
    if (msg.method === 'Target.detachedFromTarget' && msg.params.sessionId === session) session = null;
  });

  await chrome.send('Target.setDiscoverTargets', { discover: true });

  const attach = async () => {
    const { targetInfos } = await chrome.send('Target.getTargets');
    const page = targetInfos.find((t) => t.type === 'page');
    if (!page) return null;
    const { sessionId } = await chrome.send('Target.attachToTarget', {
      targetId: page.targetId,
      flatten: true,
    });
    return { sessionId, targetId: page.targetId };
  };

  let targetId = null;
  for (;;) {
    await sleep(CHECK_MS);
    if (stopping) return;
    try {
      if (!session) {
        const t = await attach();
        if (!t) continue;
        session = t.sessionId;
        targetId = t.targetId;
      }
      if (crashedTarget && crashedTarget === targetId) {
        // Like the Electron shell: reload, and back off when the page keeps crashing.
        crashedTarget = null;
        up = false;
        const now = Date.now();
        crashes = [...crashes.filter((t) => now - t < 10 * 60_000), now];
        const backoff = Math.min(60_000, 1_000 * 2 ** (crashes.length - 1));
        if (crashes.length >= 3)
          log('kiosk page keeps crashing', { crashesIn10Min: crashes.length, backoffMs: backoff });
        await sleep(backoff);
        await chrome.send('Page.navigate', { url: URL_.href }, session);
        log('kiosk page reloaded after a crash');
        continue;
      }
      // An error page (the web host was down when the page loaded) keeps the URL it failed
      // on in location.href, but its origin is opaque ("null").
      const res = await chrome.send(
        'Runtime.evaluate',
        {
          // "rendered": the UI mounted into #root (a page that loaded but shows nothing is not up).
          expression:
            'window.origin + "\\n" + location.href + "\\n" + document.readyState + "\\n" + ' +
            '(document.getElementById("root")?.childElementCount ?? 1)',
          returnByValue: true,
        },
        session,
      );
      const [origin = '', href = '', state = '', rendered = '0'] = String(res.result?.value ?? '').split(
        '\n',
      );
      if (origin !== URL_.origin) {
        if (up || !retrying) log('not the kiosk page; loading it again until it is', { origin, href });
        up = false;
        retrying = true;
        await chrome.send('Page.navigate', { url: URL_.href }, session);
        continue;
      }
      if (state === 'complete' && rendered !== '0' && !up) {
        up = true;
        retrying = false;
        log('kiosk page up', { href });
      }
    } catch (err) {
      if (err.timeout) {
        fail(`kiosk page not answering for ${HANG_MS} ms (hung); ending the browser for a restart`);
        return;
      }
      // The target went away under us (a crash, a reload): attach again next round.
      session = null;
      log('watchdog: lost the page', { error: err.message });
    }
  }
}

main().catch((err) => {
  log('kiosk-browser failed', { error: err.message });
  process.exit(1);
});
