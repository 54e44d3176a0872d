/** Dashboard/API routes for people: login and loans. */
import { Type, type Static } from '@sinclair/typebox';
import { CompactJwt, Id, Role, Strict, Timestamp } from './common.ts';

export const LoginRequest = Strict({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const LoginResponse = Strict({
  accessToken: CompactJwt,
  expiresAt: Timestamp,
  user: Strict({ id: Id, displayName: Type.String(), role: Role, email: Type.String() }),
});
export type LoginResponse = Static<typeof LoginResponse>;

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
