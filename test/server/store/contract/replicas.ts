/** Contract: server replicas' heartbeats (server/store/replica-store.ts). */
import { describe, expect, it } from 'vitest';
import type { ReplicaBeat } from '../../../../server/store/replica-store.ts';
import { MIN, T0, type StoreContext } from './fixtures.ts';

const beat = (over: Partial<ReplicaBeat> = {}): ReplicaBeat => ({
  id: 'rep-a',
  host: 'app-1',
  pid: 4242,
  version: '0.1.0',
  startedAt: T0,
  beatAt: T0,
  state: 'alive',
  figures: null,
  ...over,
});

export function registerReplicaContract(ctx: StoreContext): void {
  describe('server replicas', () => {
    it('keeps one row per replica, its latest beat, state and figures; newest start first', async () => {
      const { store } = ctx;
      expect(await store.listReplicas()).toEqual([]);
      await store.beatReplica(beat());
      await store.beatReplica(beat({ id: 'rep-b', host: '서버-2', startedAt: T0 + MIN, beatAt: T0 + MIN }));
      await store.beatReplica(beat({ beatAt: T0 + 2 * MIN, state: 'draining', figures: '{"n":1}' }));
      const rows = await store.listReplicas();
      expect(rows.map((r) => r.id)).toEqual(['rep-b', 'rep-a']);
      expect(rows[1]).toEqual(beat({ beatAt: T0 + 2 * MIN, state: 'draining', figures: '{"n":1}' }));
      expect(rows[0]!.host).toBe('서버-2');
    });

    it('forgets replicas not heard from since a time', async () => {
      const { store } = ctx;
      await store.beatReplica(beat());
      await store.beatReplica(beat({ id: 'rep-b', beatAt: T0 + 10 * MIN }));
      expect(await store.forgetReplicas(T0 + MIN)).toBe(1);
      expect((await store.listReplicas()).map((r) => r.id)).toEqual(['rep-b']);
    });
  });
}
