/**
 * The NFC adapter's own safety nets, against a fake nfc-pcsc (what the real stack cannot
 * be made to do on cue): a card that never connects, errors on readers we do not use, a
 * library that is not installed, pcscd that is not there yet.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { NfcReader, type NfcDevice, type NfcLibrary } from '../../../hardware/nfc/nfc-reader.ts';
import type { ReaderSink, ReaderStatusReport } from '../../../hardware/ports.ts';
import { FakeTimers } from '../fake-timers.ts';

class FakeDevice extends EventEmitter {
  autoProcessing = true;
  readonly reader = new EventEmitter();
  answer: Buffer | Promise<Buffer> = Buffer.from('0411223390 00'.replace(/ /g, ''), 'hex');
  constructor(readonly name: string) {
    super();
  }
  transmit(): Promise<Buffer> {
    return Promise.resolve(this.answer);
  }
}

function setup() {
  const timers = new FakeTimers();
  const services: (EventEmitter & { closed: boolean; close(): void })[] = [];
  let up = true;
  const lib: NfcLibrary = {
    NFC: class extends EventEmitter {
      closed = false;
      constructor() {
        super();
        services.push(this);
      }
      close() {
        this.closed = true;
      }
    },
  };
  const out = { statuses: [] as ReaderStatusReport[], credentials: [] as string[], rejected: [] as string[] };
  const sink: ReaderSink = {
    credential: (c) => out.credentials.push(c),
    status: (s) => out.statuses.push(s),
    rejected: (_id, r) => out.rejected.push(r),
  };
  const reader = new NfcReader({
    timers,
    readerNames: ['ACR122'],
    loadLibrary: async () => lib,
    serviceUp: async () => up,
    retryMs: 1000,
  });
  /** Start the reader and plug in one PC/SC reader called `name`. */
  const plug = async (name: string, answer?: Promise<Buffer>) => {
    reader.start(sink);
    await flush();
    const dev = new FakeDevice(name);
    if (answer) dev.answer = answer;
    services[0]!.emit('reader', dev as unknown as NfcDevice);
    return dev;
  };
  return { timers, services, reader, sink, out, plug, setUp: (v: boolean) => (up = v) };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('NfcReader (fake nfc-pcsc)', () => {
  it('turns autoProcessing off and reads the UID itself', async () => {
    const { out, plug } = setup();
    const dev = await plug('ACS ACR122U PICC Interface 00 00');
    expect(dev.autoProcessing).toBe(false);
    expect(out.statuses.at(-1)).toMatchObject({
      state: 'present',
      detail: 'ACS ACR122U PICC Interface 00 00',
    });
    dev.emit('card', {});
    await flush();
    expect(out.credentials).toEqual(['nfc:04112233']);
  });

  it('reports a card that never connects (nfc-pcsc drops that error)', async () => {
    const { out, timers, plug } = setup();
    const dev = await plug('ACS ACR122U');
    dev.reader.emit('status', { state: 0x22 }); // present; no 'card' follows
    timers.advance(1999);
    expect(out.rejected).toEqual([]);
    timers.advance(1);
    expect(out.rejected).toEqual(['card did not connect']);
    // A card that connects in time arms nothing.
    dev.reader.emit('status', { state: 0x12 });
    dev.reader.emit('status', { state: 0x22 });
    dev.emit('card', {});
    timers.advance(5000);
    expect(out.rejected).toEqual(['card did not connect']);
  });

  it('times out a card that never answers GET UID', async () => {
    const { out, timers, plug } = setup();
    const dev = await plug('ACS ACR122U', new Promise(() => {}));
    dev.emit('card', {});
    timers.advance(1500);
    await flush();
    expect(out.rejected).toEqual(['card did not answer in time']);
  });

  it('listens for errors on every reader, used or not, and on the service', async () => {
    const { services, out, plug } = setup();
    const other = await plug('Yubico YubiKey');
    expect(other.listenerCount('error')).toBeGreaterThan(0);
    expect(other.reader.listenerCount('error')).toBeGreaterThan(0);
    expect(() => other.emit('error', new Error('SCardConnect error'))).not.toThrow();
    expect(other.autoProcessing).toBe(true); // not ours: left alone
    expect(out.credentials).toEqual([]);
    expect(services[0]!.listenerCount('error')).toBeGreaterThan(0);
  });

  it('waits for pcscd, and recreates the library after it is lost', async () => {
    const { services, reader, sink, out, timers, setUp } = setup();
    setUp(false);
    reader.start(sink);
    await flush();
    expect(services).toHaveLength(0); // never construct pcsclite without a daemon: it would spin
    expect(out.statuses.at(-1)).toMatchObject({ state: 'gone', detail: 'PC/SC service (pcscd) not running' });
    setUp(true);
    timers.advance(1000);
    await flush();
    expect(services).toHaveLength(1);
    services[0]!.emit('error', new Error('SCardGetStatusChange error: Service not available.'));
    expect(services[0]!.closed).toBe(true);
    expect(out.statuses.at(-1)).toMatchObject({
      state: 'error',
      detail: expect.stringContaining('PC/SC service lost'),
    });
    timers.advance(1000);
    await flush();
    expect(services).toHaveLength(2);
    await reader.stop();
    expect(services[1]!.closed).toBe(true);
  });

  it('a missing nfc-pcsc module is one status line', async () => {
    const timers = new FakeTimers();
    const statuses: ReaderStatusReport[] = [];
    const reader = new NfcReader({
      timers,
      serviceUp: async () => true,
      loadLibrary: () => Promise.reject(new Error("Cannot find package 'nfc-pcsc'")),
    });
    reader.start({ credential: () => {}, status: (s) => statuses.push(s), rejected: () => {} });
    await flush();
    expect(statuses).toEqual([
      {
        readerId: 'nfc',
        kind: 'nfc',
        state: 'error',
        detail: "nfc-pcsc not available: Cannot find package 'nfc-pcsc'",
      },
    ]);
  });
});
