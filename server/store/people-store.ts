/**
 * The part of the store port for administering people, badges and the offline roster
 * (beyond what the kiosk and sync paths need). Composed into Store.
 */
import type { Role } from '../../protocol/index.ts';

export type RosterEntry = { rosterHash: string; userId: string; displayName: string; role: Role };

export interface PeopleStore {
  setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
  setUserActive(userId: string, active: boolean): Promise<boolean>;
  findItemIdByTag(tag: string): Promise<string | null>;
  /**
   * Record the roster hash of a badge, and its hint when it has none (both known only when
   * the raw credential passes by: a badge enrolled from an unknown tap, or before hints were kept).
   */
  setRosterHash(credentialHash: string, rosterHash: string, hint?: string): Promise<void>;
  /** Badges of active people that have a roster hash. */
  rosterEntries(): Promise<RosterEntry[]>;
}
