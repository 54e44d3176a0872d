/** The contracts shared by server, kiosk and UI. No I/O lives here. */
export * from './errors.ts';
export * from './credentials.ts';
export * from './tokens.ts';
export * from './clock.ts';
export * from './wire/common.ts';
export * from './wire/health.ts';
export * from './wire/kiosk.ts';
export * from './wire/sync.ts';
export * from './wire/api.ts';
export * from './wire/auth.ts';
export * from './kiosk-api.ts';
export * from './roles.ts';
export * from './lending.ts';
export * from './policies.ts';
export * from './wire/policies.ts';
export * from './wire/admin.ts';
export * from './wire/directory.ts';
