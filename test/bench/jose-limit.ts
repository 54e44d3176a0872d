/**
 * The jose-only limit of a badge tap, in its own process (pinned like the tap server): per
 * "request", the two jose calls a tap makes and nothing else, through the same jose build
 * the server uses (WebCrypto: the Ed25519 work goes through Node's thread pool). One
 * jwtVerify of a device assertion with the options server/auth/kiosk-assertion.ts passes
 * and one SignJWT of a rental token as server/auth/tokens.ts makes it, with as many at once
 * as the tap has connections. No HTTP, no database: the most taps that core could do while
 * the JWTs are made and checked by jose (crypto-limit.ts is the same work on node:crypto,
 * synchronously). Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { CONNECTIONS } from './token.ts';

const seconds = Number(process.env.BENCH_CRYPTO_SECONDS ?? 10);
const ISSUER = 'http://127.0.0.1:8420';
const KIOSK = 'kiosk:k_0123456789abcdef';
const kiosk = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const server = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
// One assertion checked again and again: its cost does not depend on its jti being new (the
// once-only check is the server's own, outside jose).
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: 'EdDSA', typ: 'kiosk+jwt', kid: 'k_0123456789abcdef' })
  .setIssuer(KIOSK)
  .setSubject(KIOSK)
  .setAudience(ISSUER)
  .setIssuedAt()
  .setExpirationTime('60s')
  .setJti(randomUUID())
  .sign(kiosk.privateKey);

async function tap(): Promise<void> {
  await jwtVerify(assertion, kiosk.publicKey, {
    algorithms: ['EdDSA'],
    typ: 'kiosk+jwt',
    issuer: KIOSK,
    subject: KIOSK,
    audience: ISSUER,
    requiredClaims: ['exp', 'iat', 'jti'],
    maxTokenAge: 60,
    currentDate: new Date(),
    clockTolerance: 5,
  });
  const iat = Math.floor(Date.now() / 1000);
  await new SignJWT({ role: 'member' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'rental+jwt', kid: 'srv-2026-01' })
    .setIssuer(ISSUER)
    .setAudience(KIOSK)
    .setSubject('user:u_0123456789abcdef')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 120)
    .setJti(randomUUID())
    .sign(server.privateKey);
}

// A second of warm-up (the JIT), then the measured run.
for (const end = Date.now() + 1_000; Date.now() < end;) await tap();
let ops = 0;
const t0 = process.hrtime.bigint();
const stop = t0 + BigInt(seconds * 1e9);
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (process.hrtime.bigint() < stop) {
      await tap();
      ops++;
    }
  }),
);
const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(`${JSON.stringify({ ops_per_s: Math.round(ops / elapsed), ops, seconds: elapsed })}\n`);
