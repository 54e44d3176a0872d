/**
 * The store contract (STYLE.md rule 16, DESIGN.md "Server"): one suite of behaviour through
 * the port (server/store/store.ts) that every adapter must pass, registered by each adapter's
 * test file with its own factory, as powersync's registerDataStorageDataTests(factory).
 *
 *   registerStoreContract('sqlite', async () => { const store = openSqliteStore(...); return { store, close: ... }; });
 *
 * Each test gets a fresh, empty store from the factory and closes it afterwards. Use cases
 * (applySyncBatch, rotateRefresh) run as the server runs them: domain code over the port.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../../../server/store/store.ts';
import { registerAuditPagesContract } from './audit-pages.ts';
import { registerAuthStateContract } from './auth-state.ts';
import { registerCatalogContract } from './catalog.ts';
import { registerConcurrencyContract } from './concurrency.ts';
import type { StoreContext, StoreFactory, StoreHandle } from './fixtures.ts';
import { registerPeopleContract } from './people.ts';
import { registerReplicaContract } from './replicas.ts';
import { registerScimContract } from './scim.ts';
import { registerIdentityContract } from './identities.ts';
import { registerPolicyContract } from './policies.ts';
import { registerRenewalContract } from './renewals.ts';
import { registerReportContract } from './reports.ts';
import { registerUsageReportContract } from './usage-report.ts';
import { registerReservationContract } from './reservations.ts';
import { registerItemListContract } from './item-list.ts';
import { registerItemPageContract } from './item-page.ts';
import { registerItemSearchContract } from './item-search.ts';
import { registerLoanListContract } from './loan-list.ts';
import { registerPeopleListContract } from './people-list.ts';
import { registerSyncContract } from './sync.ts';
import { registerTransactionContract } from './transactions.ts';

export type { StoreFactory, StoreHandle } from './fixtures.ts';

export function registerStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let handle: StoreHandle | undefined;
    const ctx: StoreContext = {
      get store(): Store {
        if (!handle) throw new Error('no store: the contract runs its tests inside registerStoreContract');
        return handle.store;
      },
    };
    beforeEach(async () => {
      handle = await factory();
    });
    afterEach(async () => {
      const h = handle;
      handle = undefined;
      await h?.close();
    });

    registerPeopleContract(ctx);
    registerCatalogContract(ctx);
    registerItemListContract(ctx);
    registerItemPageContract(ctx);
    registerItemSearchContract(ctx);
    registerLoanListContract(ctx);
    registerAuditPagesContract(ctx);
    registerReportContract(ctx);
    registerUsageReportContract(ctx);
    registerPeopleListContract(ctx);
    registerSyncContract(ctx);
    registerRenewalContract(ctx);
    registerConcurrencyContract(ctx);
    registerAuthStateContract(ctx);
    registerTransactionContract(ctx);
    registerReplicaContract(ctx);
    registerScimContract(ctx);
    registerIdentityContract(ctx);
    registerPolicyContract(ctx);
    registerReservationContract(ctx);
  });
}
