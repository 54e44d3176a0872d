/**
 * The server's Ed25519 signing keys on disk. Each key has a `kid`; the newest signs, and
 * older ones stay in the JWKS (so tokens they signed still verify) until retired long
 * enough for those tokens to have expired. Private key files are written 0600.
 */
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BugError } from '../../protocol/index.ts';

export type SigningKey = { kid: string; createdAt: number; privateKey: CryptoKey; publicJwk: JWK };

export type KeyStore = {
  current(): SigningKey;
  /** Public key by kid, for verifying tokens this server signed. */
  publicKey(kid: string): CryptoKey | undefined;
  jwks(): { keys: JWK[] };
  /** Create a new current key; older keys keep verifying. */
  rotate(now: number): Promise<SigningKey>;
};

type KeyFile = { kid: string; createdAt: number; jwk: JWK };

const KEY_FILE = /^signing-(.+)\.jwk\.json$/;

async function loadKey(file: KeyFile): Promise<SigningKey & { publicKey: CryptoKey }> {
  const privateKey = (await importJWK(file.jwk, 'EdDSA')) as CryptoKey;
  const { d: _d, ...pub } = file.jwk;
  const publicJwk: JWK = { ...pub, kid: file.kid, alg: 'EdDSA', use: 'sig' };
  const publicKey = (await importJWK(publicJwk, 'EdDSA')) as CryptoKey;
  return { kid: file.kid, createdAt: file.createdAt, privateKey, publicJwk, publicKey };
}

async function createKeyFile(dir: string, now: number): Promise<KeyFile> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = `${new Date(now).toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  const file: KeyFile = { kid, createdAt: now, jwk };
  const path = join(dir, `signing-${kid}.jwk.json`);
  writeFileSync(path, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return file;
}

export async function openKeyStore(dir: string, now: number): Promise<KeyStore> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: KeyFile[] = readdirSync(dir)
    .filter((f) => KEY_FILE.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as KeyFile);
  if (files.length === 0) files.push(await createKeyFile(dir, now));

  const keys = await Promise.all(files.map(loadKey));
  keys.sort((a, b) => a.createdAt - b.createdAt);

  return {
    current() {
      const k = keys.at(-1);
      if (!k) throw new BugError('no signing key');
      return k;
    },
    publicKey: (kid) => keys.find((k) => k.kid === kid)?.publicKey,
    jwks: () => ({ keys: keys.map((k) => k.publicJwk) }),
    async rotate(at) {
      const k = await loadKey(await createKeyFile(dir, at));
      keys.push(k);
      return k;
    },
  };
}
