/**
 * Someone must always be able to administer the system. A change made on someone's behalf
 * from outside (a directory deactivating or deleting people, a group's role mapping moving
 * people down) could take the last active admin away, and then nobody could sign in to undo
 * it. Such a change runs inside its transaction through keepAnAdmin: if there was an active
 * admin before and none after, it is refused (LAST_ADMIN) and nothing of it is saved.
 */
import { AppError } from '../../protocol/index.ts';
import type { StoreOps } from '../store/store.ts';

export async function keepAnAdmin<T>(tx: StoreOps, change: () => Promise<T>): Promise<T> {
  const before = await tx.countActiveAdmins();
  const result = await change();
  if (before > 0 && (await tx.countActiveAdmins()) === 0) {
    throw new AppError(
      'LAST_ADMIN',
      'this change would leave no active administrator; make someone else an admin first',
    );
  }
  return result;
}
