/**
 * The kiosk's own identity: an Ed25519 key pair made on the kiosk (private key file 0600,
 * never leaves the device) and the id the server gave it at enrollment. Every call to the
 * server carries a fresh device assertion signed with this key.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../../../protocol/node/durable-file.ts';
import {
  KIOSK_ASSERTION_MAX_TTL_S,
  TOKEN_ALG,
  TOKEN_TYP,
  kioskSubject,
  type Clock,
} from '../../../protocol/index.ts';

export type Enrollment = { kioskId: string; name: string; issuer: string; serverUrl: string };

export type DeviceIdentity = {
  publicJwk: JWK;
  enrollment(): Enrollment | null;
  saveEnrollment(e: Enrollment): void;
  /** A fresh assertion for one call. */
  assertion(clock: Clock): Promise<string>;
};

const KEY_FILE = 'device-key.jwk.json';
const ENROLLMENT_FILE = 'enrollment.json';

/**
 * The kiosk's key or enrolment file is unreadable (a power cut while it was written, a
 * failing SD card). Its message says what happened and how to recover, for the console and
 * the journal; the outbox is untouched.
 */
export class IdentityDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityDamagedError';
  }
}

type Read<T> = { state: 'missing' } | { state: 'ok'; value: T } | { state: 'damaged'; why: string };

function readJsonFile<T>(path: string, valid: (v: unknown) => v is T): Read<T> {
  if (!existsSync(path)) return { state: 'missing' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { state: 'damaged', why: (err as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  if (text.length === 0) return { state: 'damaged', why: '0 bytes' };
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? { state: 'ok', value } : { state: 'damaged', why: 'not the expected content' };
  } catch {
    return { state: 'damaged', why: `${text.length} bytes that are not JSON` };
  }
}

const isPrivateJwk = (v: unknown): v is JWK =>
  typeof v === 'object' &&
  v !== null &&
  (v as JWK).kty === 'OKP' &&
  (v as JWK).crv === 'Ed25519' &&
  typeof (v as JWK).x === 'string' &&
  typeof (v as JWK).d === 'string';

const isEnrollment = (v: unknown): v is Enrollment =>
  typeof v === 'object' &&
  v !== null &&
  ['kioskId', 'name', 'issuer', 'serverUrl'].every(
    (k) => typeof (v as Record<string, unknown>)[k] === 'string',
  );

/**
 * `recover`: an enrolment code is at hand, so damaged identity files are moved aside (kept
 * for a person to look at) and the kiosk starts as a new device that will enrol with it.
 * Without one, a damaged file stops the start with IdentityDamagedError.
 */
export async function openDeviceIdentity(
  dataDir: string,
  opts: { recover?: boolean } = {},
): Promise<DeviceIdentity> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, KEY_FILE);
  const enrollmentPath = join(dataDir, ENROLLMENT_FILE);
  let key = readJsonFile(keyPath, isPrivateJwk);
  let enrolled = readJsonFile(enrollmentPath, isEnrollment);
  const damaged = [
    ...(key.state === 'damaged' ? [`${KEY_FILE} (${key.why})`] : []),
    ...(enrolled.state === 'damaged' ? [`${ENROLLMENT_FILE} (${enrolled.why})`] : []),
  ];
  if (damaged.length > 0) {
    const kioskId = enrolled.state === 'ok' ? enrolled.value.kioskId : null;
    if (!opts.recover) {
      throw new IdentityDamagedError(
        `this kiosk's identity in ${dataDir} is damaged: ${damaged.join(', ')}, most likely by a power cut ` +
          `while it was written. Its outbox (kiosk.db) is kept, with every transaction not yet sent. To ` +
          `recover: on the server run \`npm run admin -- kiosk rekey ${kioskId ?? '<kiosk id>'}\`` +
          `${kioskId ? '' : " (the dashboard's Kiosks page lists the ids)"} and start this kiosk once with ` +
          `RENTAL_ENROLL_CODE set to the code it prints: the kiosk enrols again as the same kiosk and sends them.`,
      );
    }
    // A folder name for the operator: the wall clock is what they compare it with.
    // eslint-disable-next-line no-restricted-syntax
    const aside = join(dataDir, `damaged-identity-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(aside, { mode: 0o700 });
    for (const f of [KEY_FILE, ENROLLMENT_FILE])
      if (existsSync(join(dataDir, f))) renameSync(join(dataDir, f), join(aside, f));
    key = { state: 'missing' };
    enrolled = { state: 'missing' };
  }

  let privateJwk: JWK;
  if (key.state === 'ok') {
    chmodSync(keyPath, 0o600);
    privateJwk = key.value;
  } else {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateJwk = await exportJWK(privateKey);
    writeFileDurably(keyPath, JSON.stringify(privateJwk));
  }
  const privateKey = (await importJWK(privateJwk, TOKEN_ALG)) as CryptoKey;
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x! };

  let enrollment: Enrollment | null = enrolled.state === 'ok' ? enrolled.value : null;

  return {
    publicJwk,
    enrollment: () => enrollment,
    saveEnrollment(e) {
      writeFileDurably(enrollmentPath, JSON.stringify(e, null, 2));
      enrollment = e;
    },
    async assertion(clock) {
      if (!enrollment) throw new Error('kiosk is not enrolled');
      const iat = Math.floor(clock.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: TOKEN_ALG, typ: TOKEN_TYP.kioskAssertion, kid: enrollment.kioskId })
        .setIssuer(kioskSubject(enrollment.kioskId))
        .setSubject(kioskSubject(enrollment.kioskId))
        .setAudience(enrollment.issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + Math.min(30, KIOSK_ASSERTION_MAX_TTL_S))
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}
