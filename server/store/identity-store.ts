/**
 * Who signed in through an OpenID provider (issue 20): the pair (issuer, subject) names one
 * account at one provider and is linked to one person here. Also the lookups a first sign-in
 * links by (the directory's user name or id, as SCIM wrote them). Composed into Store.
 */
export type UserIdentity = {
  issuer: string;
  subject: string;
  userId: string;
  createdAt: number;
  lastLoginAt: number | null;
};

export interface IdentityStore {
  findIdentity(issuer: string, subject: string): Promise<UserIdentity | null>;
  /** Links (issuer, subject) to a person; false (and nothing changed) when the pair is already linked. */
  linkIdentity(identity: {
    issuer: string;
    subject: string;
    userId: string;
    createdAt: number;
  }): Promise<boolean>;
  touchIdentity(issuer: string, subject: string, at: number): Promise<void>;
  identitiesOf(userId: string): Promise<UserIdentity[]>;
  /** Removes every link of a person (their next sign-in links again); returns how many went. */
  unlinkIdentitiesOf(userId: string): Promise<number>;
  /** The person whose SCIM userName is this, ignoring case. */
  findUserIdByUserName(userName: string): Promise<string | null>;
  /** The person whose directory id (SCIM externalId) is this. */
  findUserIdByExternalId(externalId: string): Promise<string | null>;
}
