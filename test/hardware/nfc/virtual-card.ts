/**
 * A virtual contactless card for vpcd (vsmartcard's virtual PC/SC reader driver): the test
 * connects to pcscd's vpcd port as the card, and answers APDUs itself. Connecting is
 * "card placed on the reader", closing is "card taken away".
 * Wire: every message is a 2-byte big-endian length then the bytes; a 1-byte message is a
 * control code (0 off, 1 on, 2 reset, 4 get ATR), anything longer an APDU.
 */
import net from 'node:net';

/** ISO 14443-3 (MIFARE-class) contactless ATR, as a PC/SC reader builds it. */
export const ATR_14443_3 = Buffer.from('3B8F8001804F0CA000000306030001000000006A', 'hex');
/** ISO 14443-4 (DESFire-class) contactless ATR: no PC/SC RID at byte 5. */
export const ATR_14443_4 = Buffer.from('3B8180018080', 'hex');

export type CardBehaviour = (apdu: Buffer) => Buffer | 'hang-up' | 'silent';

export const answerUid =
  (uidHex: string): CardBehaviour =>
  (apdu) =>
    apdu.toString('hex') === 'ffca000000' ? Buffer.from(`${uidHex}9000`, 'hex') : Buffer.from('6d00', 'hex');

export class VirtualCard {
  /** Cards still on the reader, so a failed test can clear the reader for the next one. */
  static readonly placed = new Set<VirtualCard>();
  /** The vpcd port of the suite's daemon (35963 for the machine's; its own when private). */
  static port = 35963;
  readonly apdus: string[] = [];
  atrPolls = 0;
  private waiters: { atLeast: number; resolve: () => void }[] = [];
  private constructor(
    private readonly socket: net.Socket,
    private readonly atr: Buffer,
    private readonly behave: CardBehaviour,
  ) {
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const n = buf.readUInt16BE(0);
        if (buf.length < 2 + n) break;
        this.onMessage(buf.subarray(2, 2 + n));
        buf = buf.subarray(2 + n);
      }
    });
    socket.on('error', () => {});
  }

  static place(behave: CardBehaviour, opts: { atr?: Buffer; port?: number } = {}): Promise<VirtualCard> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(opts.port ?? VirtualCard.port, '127.0.0.1');
      socket.once('connect', () => {
        const card = new VirtualCard(socket, opts.atr ?? ATR_14443_3, behave);
        VirtualCard.placed.add(card);
        resolve(card);
      });
      socket.once('error', reject);
    });
  }

  /**
   * Take the card away, and keep it away for a moment as a hand does: pcscd looks for the
   * virtual card about every 0.4 s, so a card put back sooner was never seen to leave.
   */
  async remove(): Promise<void> {
    VirtualCard.placed.delete(this);
    this.hangUp();
    const wait = this.goneAt + 700 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** Resolves once pcscd has polled this card `n` more times (it polls about every 0.4 s). */
  polled(n: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ atLeast: this.atrPolls + n, resolve }));
  }

  private onMessage(msg: Buffer): void {
    if (msg.length === 1) {
      if (msg[0] === 0x04) {
        this.atrPolls += 1;
        this.send(this.atr);
        this.waiters = this.waiters.filter((w) => (w.atLeast <= this.atrPolls ? (w.resolve(), false) : true));
      }
      return;
    }
    this.apdus.push(msg.toString('hex'));
    const answer = this.behave(msg);
    if (answer === 'hang-up') this.hangUp();
    else if (answer !== 'silent') this.send(answer);
  }

  private goneAt = 0;
  private hangUp(): void {
    if (this.socket.destroyed) return;
    this.socket.destroy();
    this.goneAt = Date.now();
  }

  private send(data: Buffer): void {
    if (this.socket.destroyed) return;
    const head = Buffer.alloc(2);
    head.writeUInt16BE(data.length);
    this.socket.write(Buffer.concat([head, data]));
  }
}
