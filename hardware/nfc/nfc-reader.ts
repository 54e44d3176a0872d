/**
 * NFC badge reader over PC/SC (pcsc-lite) through nfc-pcsc.
 *
 * Why it is written this way (each point is a failure seen in nfc-pcsc/pcsclite):
 * - autoProcessing is off and the UID is read here with GET DATA (FF CA 00 00 00): with it
 *   on, nfc-pcsc treats ISO 14443-4 cards (DESFire, phones) as needing an AID and fails.
 * - Every emitter gets an 'error' listener: an unhandled 'error' event kills the process.
 * - nfc-pcsc swallows connect errors (it emits the error object as an event name), so a
 *   card that never connects is noticed by our own timeout on the raw reader's status.
 * - pcsclite's constructor spins until the PC/SC service answers, blocking the event loop,
 *   so the service socket is probed before (re)creating it. When pcscd goes away the
 *   library stops watching for good; it is closed and created afresh once pcscd is back.
 *
 * One status line covers all PC/SC readers; card problems are reported as rejected input.
 */
import net from 'node:net';
import type { EventEmitter } from 'node:events';
import { normalizeCredential } from '../../protocol/credentials.ts';
import type { BadgeReader, ReaderSink, ReaderState } from '../ports.ts';
import type { TimerHandle, Timers } from '../timers.ts';

/** The parts of nfc-pcsc used here (its objects, or fakes in tests). */
export type NfcDevice = EventEmitter & {
  readonly name: string;
  autoProcessing: boolean;
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  /** The raw pcsclite CardReader, whose 'status' events carry the PC/SC state bits. */
  readonly reader: EventEmitter;
};
export type NfcService = EventEmitter & { close(): void };
export type NfcLibrary = { NFC: new () => NfcService };

export const GET_UID_APDU = Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]);
const SCARD_STATE_EMPTY = 0x10;
const SCARD_STATE_PRESENT = 0x20;

export type NfcReaderOptions = {
  id?: string;
  timers: Timers;
  /** Only readers whose name contains one of these (case-insensitive); empty: all. */
  readerNames?: readonly string[];
  connectTimeoutMs?: number;
  transmitTimeoutMs?: number;
  /** How often to look for pcscd again while it is down. */
  retryMs?: number;
  loadLibrary?: () => Promise<NfcLibrary>;
  serviceUp?: () => Promise<boolean>;
};

export const PCSC_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';

/** Is pcscd accepting clients? A plain connect to its socket, no PC/SC call. */
export function pcscServiceUp(socketPath = PCSC_SOCKET, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    const done = (up: boolean) => {
      s.destroy();
      resolve(up);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function loadNfcPcsc(): Promise<NfcLibrary> {
  const mod = (await import('nfc-pcsc')) as unknown as NfcLibrary & { default?: NfcLibrary };
  return mod.NFC ? mod : mod.default!;
}

type Tracked = { device: NfcDevice; state: number; connectTimer: TimerHandle | null };

export class NfcReader implements BadgeReader {
  readonly id: string;
  readonly kind = 'nfc';
  private sink: ReaderSink | null = null;
  private service: NfcService | null = null;
  /** Bumped whenever the service is dropped, so late events of an old one are ignored. */
  private generation = 0;
  private retry: TimerHandle | null = null;
  private readonly devices = new Map<string, Tracked>();
  private lastStatus = '';

  constructor(private readonly opts: NfcReaderOptions) {
    this.id = opts.id ?? 'nfc';
  }

  start(sink: ReaderSink): void {
    this.sink = sink;
    void this.boot();
  }

  async stop(): Promise<void> {
    this.sink = null;
    if (this.retry !== null) this.opts.timers.clearTimeout(this.retry);
    this.retry = null;
    this.dropService();
  }

  /** Names of the PC/SC readers in use (service screen, tests). */
  get readerNames(): string[] {
    return [...this.devices.keys()];
  }

  private async boot(): Promise<void> {
    this.retry = null;
    if (!this.sink) return;
    const up = await (this.opts.serviceUp ?? (() => pcscServiceUp()))();
    if (!this.sink) return;
    if (!up) {
      this.report('gone', 'PC/SC service (pcscd) not running');
      return this.scheduleBoot();
    }
    let lib: NfcLibrary;
    try {
      lib = await (this.opts.loadLibrary ?? loadNfcPcsc)();
    } catch (err) {
      // Not installed or not built (optional dependency): permanent until reinstalled.
      this.report('error', `nfc-pcsc not available: ${firstLine(err)}`);
      return;
    }
    if (!this.sink) return;
    const generation = ++this.generation;
    let service: NfcService;
    try {
      service = new lib.NFC();
    } catch (err) {
      this.report('error', `PC/SC: ${firstLine(err)}`);
      return this.scheduleBoot();
    }
    this.service = service;
    service.on('error', (err: unknown) => {
      if (generation !== this.generation) return;
      this.report('error', `PC/SC service lost: ${firstLine(err)}`);
      this.dropService();
      this.scheduleBoot();
    });
    service.on('reader', (device: NfcDevice) => this.attach(device, generation));
    this.report('gone', 'no NFC reader connected');
  }

  private scheduleBoot(): void {
    if (!this.sink || this.retry !== null) return;
    this.retry = this.opts.timers.setTimeout(() => void this.boot(), this.opts.retryMs ?? 2000);
  }

  private dropService(): void {
    this.generation += 1;
    for (const t of this.devices.values()) this.clearConnectTimer(t);
    this.devices.clear();
    const service = this.service;
    this.service = null;
    try {
      service?.close();
    } catch {
      // Closing a service whose daemon is gone can fail; it is being discarded anyway.
    }
  }

  private attach(device: NfcDevice, generation: number): void {
    // Listen for errors before anything else, even on readers we do not use.
    device.on('error', (err: unknown) => {
      if (generation === this.generation) this.sink?.rejected(this.id, `reader error: ${firstLine(err)}`);
    });
    device.reader.on('error', () => {
      // Already re-emitted by nfc-pcsc on the device, where it is reported.
    });
    const wanted = this.opts.readerNames ?? [];
    if (wanted.length > 0 && !wanted.some((w) => device.name.toLowerCase().includes(w.toLowerCase()))) return;

    device.autoProcessing = false;
    const tracked: Tracked = { device, state: 0, connectTimer: null };
    this.devices.set(device.name, tracked);
    this.reportReaders();

    device.reader.on('status', (status: { state: number }) => {
      if (generation !== this.generation) return;
      const was = tracked.state;
      tracked.state = status.state;
      const arrived = (status.state & SCARD_STATE_PRESENT) !== 0 && (was & SCARD_STATE_PRESENT) === 0;
      if (arrived) this.armConnectTimer(tracked);
      if (status.state & SCARD_STATE_EMPTY) this.clearConnectTimer(tracked);
    });
    device.on('card', () => {
      if (generation !== this.generation) return;
      this.clearConnectTimer(tracked);
      void this.readUid(tracked, generation);
    });
    device.on('card.off', () => this.clearConnectTimer(tracked));
    device.on('end', () => {
      if (generation !== this.generation) return;
      this.clearConnectTimer(tracked);
      this.devices.delete(device.name);
      this.reportReaders();
    });
  }

  private armConnectTimer(t: Tracked): void {
    this.clearConnectTimer(t);
    t.connectTimer = this.opts.timers.setTimeout(() => {
      t.connectTimer = null;
      this.sink?.rejected(this.id, 'card did not connect');
    }, this.opts.connectTimeoutMs ?? 2000);
  }

  private clearConnectTimer(t: Tracked): void {
    if (t.connectTimer !== null) this.opts.timers.clearTimeout(t.connectTimer);
    t.connectTimer = null;
  }

  private async readUid(t: Tracked, generation: number): Promise<void> {
    let response: Buffer;
    try {
      response = await this.withTimeout(t.device.transmit(GET_UID_APDU, 12));
    } catch (err) {
      if (generation === this.generation) {
        const timedOut = err instanceof Error && err.message === 'timeout';
        this.sink?.rejected(
          this.id,
          timedOut ? 'card did not answer in time' : 'card left before its UID was read',
        );
      }
      return;
    }
    if (generation !== this.generation || !this.sink) return;
    // An empty answer is what pcscd passes on when the card went away during the exchange.
    if (response.length < 2) return this.sink.rejected(this.id, 'card gave no answer');
    const sw = response.subarray(-2).toString('hex');
    if (sw !== '9000') return this.sink.rejected(this.id, `card answered GET UID with status ${sw}`);
    const uid = response.subarray(0, -2);
    const credential = normalizeCredential(`nfc:${uid.toString('hex')}`);
    if (!credential) return this.sink.rejected(this.id, `UID of ${uid.length} bytes is not a badge`);
    this.sink.credential(credential, this.id);
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.opts.timers.setTimeout(
        () => reject(new Error('timeout')),
        this.opts.transmitTimeoutMs ?? 1500,
      );
      p.then(
        (v) => {
          this.opts.timers.clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          this.opts.timers.clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private reportReaders(): void {
    const names = [...this.devices.keys()];
    if (names.length === 0) this.report('gone', 'no NFC reader connected');
    else this.report('present', names.join(', '));
  }

  private report(state: ReaderState, detail: string): void {
    const key = `${state}|${detail}`;
    if (key === this.lastStatus) return; // pcscd polling must not flood the service screen
    this.lastStatus = key;
    this.sink?.status({ readerId: this.id, kind: this.kind, state, detail });
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? '').slice(0, 200);
}
