/**
 * Each server process writes its own row in server_replicas every REPLICA_BEAT_MS: who it is
 * (id, host, pid, version, start), its state (alive, then draining while it closes, then
 * stopped) and its figures. A replica that dies writes nothing more, and the others see its
 * beat grow old: `gone` (replica-state.ts). Rows not heard from for a week are dropped.
 * Timer and clock injected (STYLE.md rule 3).
 */
import type { Clock } from '../../protocol/index.ts';
import { realTimer, type SetTimer } from '../notify/daily-schedule.ts';
import type { ReplicaBeat, ReplicaState, ReplicaStore } from '../store/replica-store.ts';

export const REPLICA_BEAT_MS = 15_000;
const FORGET_AFTER_MS = 7 * 24 * 3_600_000;

export type ReplicaIdentity = Pick<ReplicaBeat, 'id' | 'host' | 'pid' | 'version' | 'startedAt'>;

export function startReplicaHeartbeat(opts: {
  store: ReplicaStore;
  clock: Clock;
  identity: ReplicaIdentity;
  figures: (now: number) => Promise<object | null>;
  everyMs?: number;
  setTimer?: SetTimer;
  onError?: (err: unknown) => void;
}) {
  const every = opts.everyMs ?? REPLICA_BEAT_MS;
  const setTimer = opts.setTimer ?? realTimer;
  let state: ReplicaState = 'alive';
  let cancel = () => {};
  let stopped = false;

  const beat = async () => {
    const now = opts.clock.now();
    const figures = await opts.figures(now).catch(() => null);
    await opts.store.beatReplica({
      ...opts.identity,
      beatAt: now,
      state,
      figures: figures === null ? null : JSON.stringify(figures),
    });
    if (state === 'alive') await opts.store.forgetReplicas(now - FORGET_AFTER_MS);
  };
  const arm = () => {
    if (stopped) return;
    cancel = setTimer(() => {
      beat()
        .catch((err: unknown) => opts.onError?.(err))
        .finally(arm);
    }, every);
  };
  const first = beat().catch((err: unknown) => opts.onError?.(err));
  arm();

  const say = async (next: ReplicaState) => {
    state = next;
    await beat().catch((err: unknown) => opts.onError?.(err));
  };
  return {
    /** Resolves once the first beat was written (or failed). */
    started: first,
    /** Closing has begun: the others see it leave. */
    draining: () => say('draining'),
    /** Closed: the last word, before the store closes. */
    async stop() {
      stopped = true;
      cancel();
      await say('stopped');
    },
  };
}
