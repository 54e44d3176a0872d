/** The admin part of the store, assembled from one module per concern. */
import type { AdminStore } from '../admin-store.ts';
import { adminItems } from './admin-items.ts';
import { adminKiosks } from './admin-kiosks.ts';
import { adminLoans } from './admin-loans.ts';
import { adminPeople } from './admin-people.ts';
import { auditStore } from './audit.ts';
import type { SqlRunner } from './sql-db.ts';
import { conflictsStore } from './conflicts.ts';
import { unknownTapsStore } from './unknown-taps.ts';

export function sqlAdminStore(db: SqlRunner, newId: (prefix: string) => string): AdminStore {
  return {
    ...adminLoans(db),
    ...adminItems(db),
    ...adminPeople(db, newId),
    ...adminKiosks(db),
    ...conflictsStore(db),
    ...auditStore(db),
    ...unknownTapsStore(db),
  };
}
