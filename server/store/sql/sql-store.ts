/** The whole store over one SqlRunner: the database itself, or one transaction of it. */
import type { IdFactory } from '../../ids.ts';
import type { Store, StoreOps } from '../store.ts';
import { sqlAdminStore } from './admin-store.ts';
import { kioskSideStore, syncSteps } from './kiosk-side.ts';
import { sqlPeopleStore } from './people.ts';
import { sqlReplicas } from './replicas.ts';
import { sqlScimStore } from './scim.ts';
import { sqlIdentities } from './identities.ts';
import { sqlPolicies } from './policies.ts';
import { sqlReservations } from './reservations.ts';
import { sqlReports } from './reports.ts';
import { sqlSecrets } from './secrets.ts';
import { sqlSharedState } from './shared-state.ts';
import { sqlSessionStore } from './sessions.ts';
import type { SqlDb, SqlRunner } from './sql-db.ts';

function storeOps(db: SqlRunner, newId: IdFactory): StoreOps {
  return {
    ...kioskSideStore(db, newId),
    ...syncSteps(db, newId),
    ...sqlSessionStore(db),
    ...sqlPeopleStore(db),
    ...sqlAdminStore(db, newId),
    ...sqlReports(db),
    ...sqlSharedState(db),
    ...sqlSecrets(db),
    ...sqlReplicas(db),
    ...sqlScimStore(db),
    ...sqlIdentities(db),
    ...sqlPolicies(db),
    ...sqlReservations(db, newId),
  };
}

export function sqlStore(db: SqlDb, newId: IdFactory): Store {
  // Built once per runner, not once per transaction: the whole store is some 200 functions,
  // and making them again cost ~1.5 ms of CPU per transaction (a rate-limited tap on
  // PostgreSQL is one). The databases hand out a lasting runner per connection (SQLite: its
  // one; PostgreSQL: one per pooled client), so each is built once.
  const opsOf = new WeakMap<SqlRunner, StoreOps>();
  const opsFor = (tx: SqlRunner) => {
    let ops = opsOf.get(tx);
    if (!ops) {
      ops = storeOps(tx, newId);
      opsOf.set(tx, ops);
    }
    return ops;
  };
  return {
    ...storeOps(db, newId),
    kind: db.dialect.name,
    withTransaction: (fn, opts) => db.atomic((tx) => fn(opsFor(tx)), opts),
    close: () => db.close(),
  };
}
