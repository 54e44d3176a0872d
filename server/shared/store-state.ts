/** SharedState in the database, for several replicas (store/shared-state-store.ts). */
import type { Store } from '../store/store.ts';
import type { SharedState } from './shared-state.ts';

export function storeSharedState(store: Store): SharedState {
  return {
    where: 'database',
    claimOnce: (key, expiresAt, now) => store.claimOnce(key, expiresAt, now),
    async read<S>(key: string, now: number) {
      const e = await store.getShared(key, now);
      return e ? (JSON.parse(e.value) as S) : undefined;
    },
    // The row locked at read committed: concurrent updates of one key (a kiosk's tap bucket
    // under a burst) wait for each other instead of failing serialisation and retrying.
    update: (key, now, fn) =>
      store.withTransaction(
        async (tx) => {
          const e = await tx.getSharedForUpdate(key, now);
          const out = fn(e ? JSON.parse(e.value) : undefined);
          if (out.next === null) await tx.deleteShared(key);
          else await tx.putShared(key, { value: JSON.stringify(out.next), expiresAt: out.expiresAt });
          return out.result;
        },
        { isolation: 'read committed' },
      ),
    purge: (now) => store.purgeShared(now),
  };
}
