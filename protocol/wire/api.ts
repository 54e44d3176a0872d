/** Dashboard/API routes: people and loans. Sign-in lives in auth.ts, administration in admin.ts. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Role, Strict, Timestamp } from './common.ts';

export const LoanStatus = Type.Union([Type.Literal('open'), Type.Literal('returned'), Type.Literal('all')]);

export const LoansQuery = Strict({
  status: Type.Optional(LoanStatus),
  userId: Type.Optional(Id),
  itemId: Type.Optional(Id),
});
export type LoansQuery = Static<typeof LoansQuery>;

export const LoanRecord = Strict({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  userId: Id,
  userName: Type.String(),
  kioskId: Type.Union([Id, Type.Null()]),
  borrowedAt: Timestamp,
  dueAt: Timestamp,
  returnedAt: Type.Union([Timestamp, Type.Null()]),
});
export type LoanRecord = Static<typeof LoanRecord>;

export const LoansResponse = Strict({ loans: Type.Array(LoanRecord) });
export type LoansResponse = Static<typeof LoansResponse>;

export const PersonRecord = Strict({
  id: Id,
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
  role: Role,
  active: Type.Boolean(),
  badgeCount: Type.Integer({ minimum: 0 }),
});
export type PersonRecord = Static<typeof PersonRecord>;

export const PeopleResponse = Strict({ people: Type.Array(PersonRecord) });
export type PeopleResponse = Static<typeof PeopleResponse>;

export const IdParams = Strict({ id: Id });
export type IdParams = Static<typeof IdParams>;
