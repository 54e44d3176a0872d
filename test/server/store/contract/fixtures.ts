/**
 * Helpers for the store contract suite (contract.ts): fixed times, people, items and
 * enrolled kiosks made through the port, and sync rows as the sync route prepares them.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { AppError, type ErrorCode, type Role, type TxResult } from '../../../../protocol/index.ts';
import type {
  ItemRecord,
  KioskRecord,
  PreparedTx,
  Store,
  UserRecord,
} from '../../../../server/store/store.ts';
import { applySyncBatch } from '../../../../server/sync/apply-batch.ts';

/** Far above 2^31, so a BIGINT that came back as a string or was truncated shows. */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const SEC = 1_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** A keyed-hash look-alike: 64 hex digits, distinct per label. */
export const hash = (label: string): string => createHash('sha256').update(label).digest('hex');

/** What the store's ids look like (server/ids.ts): prefix, underscore, Crockford base32. */
export const id = (prefix: string, length = 16) =>
  expect.stringMatching(new RegExp(`^${prefix}_[0-9a-z]{${length}}$`));

export type StoreHandle = { store: Store; close(): Promise<void> };
export type StoreFactory = () => Promise<StoreHandle>;
/** The store of the running test (a fresh one per test). */
export type StoreContext = { readonly store: Store };

export async function person(
  store: Store,
  displayName: string,
  opts: { email?: string | null; role?: Role; active?: boolean; passwordHash?: string | null } = {},
): Promise<UserRecord> {
  return store.createUser({
    email:
      opts.email === undefined ? `${displayName.toLowerCase().replace(/\W+/g, '.')}@example.org` : opts.email,
    displayName,
    role: opts.role ?? 'member',
    active: opts.active ?? true,
    passwordHash: opts.passwordHash ?? null,
  });
}

export async function gear(
  store: Store,
  tag: string,
  opts: {
    name?: string;
    category?: string;
    loanDays?: number;
    restrictedTo?: Role | null;
    lockerSlot?: string | null;
  } = {},
): Promise<ItemRecord> {
  return store.createItem({
    tag,
    name: opts.name ?? tag,
    category: opts.category ?? 'General',
    loanDays: opts.loanDays ?? 7,
    restrictedTo: opts.restrictedTo ?? null,
    lockerSlot: opts.lockerSlot ?? null,
  });
}

/** A kiosk created and enrolled with its one-time code. */
export async function kiosk(store: Store, name: string, now = T0): Promise<KioskRecord> {
  const code = hash(`code:${name}`);
  await store.createKiosk(name, code, now + HOUR);
  const k = await store.enrollKiosk(code, `{"kty":"OKP","crv":"Ed25519","x":"${name}"}`, now);
  expect(k).not.toBeNull();
  return k!;
}

type TxFields = Pick<PreparedTx, 'id' | 'seq' | 'kind' | 'itemId' | 'userId' | 'occurredAt'>;

/** A sync row whose authentication checked out, from a kiosk with a trusted clock. */
export const row = (t: TxFields & Partial<PreparedTx>): PreparedTx => ({
  clockTrusted: true,
  note: null,
  authError: null,
  ...t,
});

export const sync = (
  store: Store,
  kioskId: string,
  txs: PreparedTx[],
  now: number,
  maxLoansPerPerson = 10,
): Promise<TxResult[]> => applySyncBatch(store, kioskId, txs, now, { maxLoansPerPerson });

/** The promise rejects with an AppError of this code. */
export async function expectAppError(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err: unknown = await p.then(
    () => new Error(`expected AppError ${code}, but it resolved`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

/** Three people, four items and two enrolled kiosks: the cast most tests use. */
export async function world(store: Store) {
  const ann = await person(store, 'Ann');
  const bo = await person(store, 'Bo');
  const cy = await person(store, 'Cy');
  const cam = await gear(store, 'CAM-1', { name: 'Camera', category: 'Photo', loanDays: 7 });
  const tri = await gear(store, 'TRI-1', { name: 'Tripod', category: 'Photo', loanDays: 2 });
  const mic = await gear(store, 'MIC-1', { name: 'Microphone', category: 'Audio', loanDays: 14 });
  const k1 = await kiosk(store, 'Front desk');
  const k2 = await kiosk(store, 'Workshop');
  return { ann, bo, cy, cam, tri, mic, k1, k2 };
}
