/**
 * The kiosk's own identity: an Ed25519 key pair made on the kiosk (private key file 0600,
 * never leaves the device) and the id the server gave it at enrollment. Every call to the
 * server carries a fresh device assertion signed with this key.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
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

function writeSecret(path: string, data: string) {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export async function openDeviceIdentity(dataDir: string): Promise<DeviceIdentity> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, KEY_FILE);
  let privateJwk: JWK;
  if (existsSync(keyPath)) {
    chmodSync(keyPath, 0o600);
    privateJwk = JSON.parse(readFileSync(keyPath, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateJwk = await exportJWK(privateKey);
    writeSecret(keyPath, JSON.stringify(privateJwk));
  }
  const privateKey = (await importJWK(privateJwk, TOKEN_ALG)) as CryptoKey;
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x! };

  const enrollmentPath = join(dataDir, ENROLLMENT_FILE);
  let enrollment: Enrollment | null = existsSync(enrollmentPath)
    ? (JSON.parse(readFileSync(enrollmentPath, 'utf8')) as Enrollment)
    : null;

  return {
    publicJwk,
    enrollment: () => enrollment,
    saveEnrollment(e) {
      writeSecret(enrollmentPath, JSON.stringify(e, null, 2));
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
