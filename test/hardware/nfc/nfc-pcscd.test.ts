/**
 * The NFC reader against the real PC/SC stack: our pcscd (or a running one), the vpcd
 * virtual reader, the real pcsclite binding and nfc-pcsc, with a virtual card played by the
 * test. All pcscd-using tests live in this one file, so they never race each other for the
 * daemon (vitest runs files in parallel processes, tests in a file one after another).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NfcReader, pcscServiceUp } from '../../../hardware/nfc/nfc-reader.ts';
import { BadgeHub } from '../../../hardware/badge-hub.ts';
import type { BadgeReader, ReaderSink, ReaderStatusReport } from '../../../hardware/ports.ts';
import { realTimers } from '../../../hardware/timers.ts';
import { ATR_14443_4, VirtualCard, answerUid } from './virtual-card.ts';
import { Pcscd, lockSuite, missingReason } from './pcscd.ts';

const missing = missingReason();
if (missing && process.env.RENTAL_CI === '1') {
  throw new Error(`NFC suite cannot run in CI: ${missing}`);
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Event =
  | { type: 'credential'; value: string }
  | { type: 'status'; value: ReaderStatusReport }
  | { type: 'rejected'; value: string };

/** Records what the reader reports; `next` waits for a matching event (bounded). */
class Recorder {
  events: Event[] = [];
  private seen = 0;
  private wake: (() => void) | null = null;
  readonly sink: ReaderSink = {
    credential: (c) => this.push({ type: 'credential', value: c }),
    status: (s) => this.push({ type: 'status', value: s }),
    rejected: (_id, reason) => this.push({ type: 'rejected', value: reason }),
  };
  private push(e: Event) {
    this.events.push(e);
    this.wake?.();
  }
  of<T extends Event['type']>(type: T) {
    return this.events.filter((e) => e.type === type).map((e) => e.value) as Extract<
      Event,
      { type: T }
    >['value'][];
  }
  /** Skip what was already consumed; resolve with the first new event matching `match`. */
  async next(match: (e: Event) => boolean, what: string, ms = 10_000): Promise<Event> {
    const end = Date.now() + ms;
    for (;;) {
      while (this.seen < this.events.length) {
        const e = this.events[this.seen++]!;
        if (match(e)) return e;
      }
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no ${what} (events: ${JSON.stringify(this.events.slice(-8))})`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
  credential = () => this.next((e) => e.type === 'credential', 'credential');
  rejected = () => this.next((e) => e.type === 'rejected', 'rejected input');
  status = (state: ReaderStatusReport['state']) =>
    this.next((e) => e.type === 'status' && e.value.state === state, `status ${state}`);
}

const UID = '04a1b2c3d4e5f6';

/** Passes everything on to the hub, recording what the reader itself reported. */
class Tee implements BadgeReader {
  readonly kind = 'nfc';
  constructor(
    private readonly inner: BadgeReader,
    private readonly rec: Recorder,
  ) {}
  get id() {
    return this.inner.id;
  }
  start(sink: ReaderSink): void {
    this.inner.start({
      credential: (c, id) => (this.rec.sink.credential(c, id), sink.credential(c, id)),
      status: (s) => (this.rec.sink.status(s), sink.status(s)),
      rejected: (id, r) => (this.rec.sink.rejected(id, r), sink.rejected(id, r)),
    });
  }
  stop() {
    return this.inner.stop();
  }
}

describe.skipIf(missing !== null)(`NFC over real pcscd${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pcscd: Pcscd | undefined;
  let unlock: (() => void) | undefined;
  let hub: BadgeHub;
  let rec: Recorder;
  /** The hub's clock: each test starts well past the previous one's de-duplication window. */
  let now = 1_000_000;
  let badges: string[] = [];

  beforeAll(async () => {
    pcscd = await Pcscd.acquire();
    // A private daemon is the suite's alone; the machine's is shared with other checkouts.
    if (!pcscd.private) unlock = await lockSuite();
    // The pcsc-lite client library reads this when the reader first connects, below.
    process.env.PCSCLITE_CSOCK_NAME = pcscd.socketPath;
    VirtualCard.port = pcscd.port;
    const socketPath = pcscd.socketPath;
    rec = new Recorder();
    const reader = new NfcReader({
      timers: realTimers,
      readerNames: ['Virtual PCD 00 00'],
      retryMs: 300,
      serviceUp: () => pcscServiceUp(socketPath),
    });
    hub = new BadgeHub(
      [new Tee(reader, rec)],
      { now: () => now },
      {
        badge: (c) => badges.push(c),
        status: () => {},
      },
      1500,
    );
    hub.start();
    await rec.status('present');
  }, 180_000);

  afterEach(async () => {
    for (const card of [...VirtualCard.placed]) await card.remove();
    now += 60_000;
    badges = [];
  });

  afterAll(async () => {
    await hub?.stop();
    await pcscd?.close();
    unlock?.();
  });

  it('a tap gives one badge, read with GET DATA', async () => {
    const card = await VirtualCard.place(answerUid(UID));
    expect(await rec.credential()).toEqual({ type: 'credential', value: `nfc:${UID}` });
    expect(card.apdus).toEqual(['ffca000000']);
    expect(badges).toEqual([`nfc:${UID}`]);
    await card.remove();
  });

  it("another PC/SC client on the machine (a kiosk left running) never reads the suite's card", async (ctx) => {
    if (!pcscd!.private) {
      // On the machine's daemon the suite can only refuse to start while another client is
      // connected (Pcscd.acquire); one that connects later would be a second reader.
      ctx.skip();
      return;
    }
    const env = { ...process.env };
    delete env.PCSCLITE_CSOCK_NAME; // the machine's socket, as a kiosk would use it
    const other = spawn(
      process.execPath,
      [fileURLToPath(new URL('./other-pcsc-client.mjs', import.meta.url))],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let said = '';
    other.stdout.on('data', (d) => (said += String(d)));
    other.stderr.on('data', (d) => (said += String(d)));
    try {
      await until(() => said.includes('started'), 'the other client to start');
      await new Promise((r) => setTimeout(r, 1500)); // long enough to find a reader if it could
      const card = await VirtualCard.place(answerUid(UID));
      expect(await rec.credential()).toMatchObject({ value: `nfc:${UID}` });
      await card.polled(3); // the other client has had every chance to read it
      expect(card.apdus).toEqual(['ffca000000']);
      expect(said).not.toMatch(/^card /m);
      await card.remove();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('an ISO 14443-4 card (DESFire, phone) is read the same way, no AID needed', async () => {
    const card = await VirtualCard.place(answerUid('04112233445566'), { atr: ATR_14443_4 });
    expect(await rec.credential()).toMatchObject({ value: 'nfc:04112233445566' });
    expect(card.apdus).toEqual(['ffca000000']);
    await card.remove();
  });

  it('a card held on the reader gives one event, not several', async () => {
    const before = rec.of('credential').length;
    const card = await VirtualCard.place(answerUid(UID));
    await rec.credential();
    await card.polled(6); // pcscd has looked at the card again and again, ~2.5 s
    expect(rec.of('credential').length).toBe(before + 1);
    expect(card.apdus).toEqual(['ffca000000']);
    await card.remove();
  });

  it('a quick double tap is read twice and the hub lets one badge through', async () => {
    const raw = rec.of('credential').length;
    let card = await VirtualCard.place(answerUid(UID));
    await rec.credential();
    await card.remove();
    card = await VirtualCard.place(answerUid(UID));
    await rec.credential();
    await card.remove();
    expect(rec.of('credential').length).toBe(raw + 2); // the reader reports each tap
    expect(badges).toEqual([`nfc:${UID}`]); // dropping the repeat is the hub's job
    now += 1500; // the same card after the window is a new badge
    card = await VirtualCard.place(answerUid(UID));
    await rec.credential();
    expect(badges).toEqual([`nfc:${UID}`, `nfc:${UID}`]);
  });

  it('a card answering GET UID with an error status is rejected, not a badge', async () => {
    const before = rec.of('credential').length;
    const card = await VirtualCard.place(() => Buffer.from('6a81', 'hex'));
    expect(await rec.rejected()).toMatchObject({ value: 'card answered GET UID with status 6a81' });
    await card.remove();
    expect(rec.of('credential').length).toBe(before);
    expect(hub.rejected).toBeGreaterThan(0);
  });

  it('a card leaving mid-exchange is rejected, and the next tap still works', async () => {
    const before = rec.of('credential').length;
    const card = await VirtualCard.place(() => 'hang-up');
    const e = await rec.rejected();
    // pcscd passes the broken exchange on as an empty answer or a transmit error.
    expect(['card gave no answer', 'card left before its UID was read']).toContain(e.value);
    expect(card.apdus).toEqual(['ffca000000']);
    await card.remove();
    expect(rec.of('credential').length).toBe(before);
    await VirtualCard.place(answerUid(UID));
    expect(await rec.credential()).toMatchObject({ value: `nfc:${UID}` });
  });

  it('survives pcscd stopped and started again, and shows it as reader status', async (ctx) => {
    if (!pcscd!.owned) {
      // Stopping a system pcscd is not a test's business; this runs where the suite owns it.
      ctx.skip();
      return;
    }
    await pcscd!.stop();
    const down = await rec.next(
      (e) => e.type === 'status' && e.value.state !== 'present',
      'reader status after pcscd stopped',
    );
    expect(down).toMatchObject({ type: 'status', value: { readerId: 'nfc', kind: 'nfc' } });
    await rec.next(
      (e) => e.type === 'status' && e.value.state === 'gone' && /pcscd/.test(e.value.detail ?? ''),
      'status "pcscd not running"',
    );
    expect(hub.readerStatuses()).toEqual([expect.objectContaining({ readerId: 'nfc', state: 'gone' })]);
    await pcscd!.start();
    await rec.status('present');
    await VirtualCard.place(answerUid(UID));
    expect(await rec.credential()).toMatchObject({ value: `nfc:${UID}` });
    expect(badges).toEqual([`nfc:${UID}`]);
  });
});
