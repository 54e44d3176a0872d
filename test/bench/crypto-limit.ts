/**
 * The crypto-only limit of a badge tap, in its own process (pinned like the tap server):
 * per "request", one node:crypto Ed25519 verify of a device-assertion-sized JWT and one
 * sign of a rental-token-sized one, synchronously on one thread, for BENCH_CRYPTO_SECONDS.
 * No HTTP, no JSON, no database: the most taps one core could do. Prints one JSON line.
 */
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

const seconds = Number(process.env.BENCH_CRYPTO_SECONDS ?? 10);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const kiosk = generateKeyPairSync('ed25519');
const server = generateKeyPairSync('ed25519');
const now = Math.floor(Date.now() / 1000);
const assertionInput = Buffer.from(
  `${b64({ alg: 'EdDSA', typ: 'kiosk+jwt', kid: 'k_0123456789abcdef' })}.${b64({
    iss: 'kiosk:k_0123456789abcdef',
    sub: 'kiosk:k_0123456789abcdef',
    aud: 'http://127.0.0.1:8420',
    iat: now,
    exp: now + 30,
    jti: randomUUID(),
  })}`,
);
const assertionSig = sign(null, assertionInput, kiosk.privateKey);
const tokenInput = Buffer.from(
  `${b64({ alg: 'EdDSA', typ: 'rental+jwt', kid: 'srv-2026-01' })}.${b64({
    iss: 'http://127.0.0.1:8420',
    aud: 'kiosk:k_0123456789abcdef',
    sub: 'user:u_0123456789abcdef',
    role: 'member',
    iat: now,
    exp: now + 120,
    jti: randomUUID(),
  })}`,
);

let ops = 0;
const t0 = process.hrtime.bigint();
const end = t0 + BigInt(seconds * 1e9);
let t = t0;
while (t < end) {
  for (let i = 0; i < 100; i++) {
    if (!verify(null, assertionInput, kiosk.publicKey, assertionSig)) throw new Error('verify failed');
    sign(null, tokenInput, server.privateKey);
  }
  ops += 100;
  t = process.hrtime.bigint();
}
const elapsed = Number(t - t0) / 1e9;
process.stdout.write(`${JSON.stringify({ ops_per_s: Math.round(ops / elapsed), ops, seconds: elapsed })}\n`);
