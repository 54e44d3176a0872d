/**
 * Lending policies and suspensions (issue 16): the one stored policy set (JSON in the shape
 * of protocol/wire/policies.ts, checked by the domain before it is written), a person's
 * suspension, and the facts about a person's loans the rules judge by. Composed into Store.
 */
export type StoredPolicies = { body: string; updatedAt: number; updatedBy: string | null };

export type Suspension = { until: string; note: string | null };

export interface PolicyStore {
  /** Null while nothing was saved (the built-in default stands). */
  getPolicies(): Promise<StoredPolicies | null>;
  putPolicies(p: StoredPolicies): Promise<void>;
  /** Until a local date (YYYY-MM-DD), or null to lift it; false for no such person. */
  setSuspension(userId: string, suspension: Suspension | null): Promise<boolean>;
  suspensionOf(userId: string): Promise<Suspension | null>;
  /** People with a suspension on record (lifted by date or not), by name. */
  suspensions(): Promise<({ userId: string; displayName: string } & Suspension)[]>;
  /** A person's open loans as the rules see them: each item's category and when it is due. */
  openLoanFacts(userId: string): Promise<{ category: string; dueAt: number }[]>;
}
