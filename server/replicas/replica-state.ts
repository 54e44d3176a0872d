/** How a replica's row reads now: alive, draining, or gone (stopped, or silent for three beats). */
import type { ReplicaBeat } from '../store/replica-store.ts';
import { REPLICA_BEAT_MS } from './replica-heartbeat.ts';

export type ReplicaLiveness = 'alive' | 'draining' | 'gone';

export const REPLICA_GONE_AFTER_MS = 3 * REPLICA_BEAT_MS;

export function replicaLiveness(r: Pick<ReplicaBeat, 'state' | 'beatAt'>, now: number): ReplicaLiveness {
  if (r.state === 'stopped' || now - r.beatAt > REPLICA_GONE_AFTER_MS) return 'gone';
  return r.state;
}
