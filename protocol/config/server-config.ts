import { Type, type Static } from '@sinclair/typebox';
import { Strict } from '../wire/common.ts';
import type { EnvBinding } from './resolve.ts';

export const Port = Type.Integer({ minimum: 1, maximum: 65535 });
export const Host = Type.String({ minLength: 1, maxLength: 253 });

export const ServerConfig = Strict({
  host: Host,
  port: Port,
  dataDir: Type.String({ minLength: 1 }),
  /**
   * postgres://user:password@host:5432/db — the server's store for several replicas. Absent:
   * the embedded SQLite file in dataDir (one process).
   */
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://\\S+$' })),
  /** Connections each replica keeps open to PostgreSQL at most. */
  databasePoolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** The server's own origin: `iss` of its tokens and `aud` of kiosk assertions. */
  issuer: Type.Optional(Type.String({ pattern: '^https?://[^/\\s]+$' })),
  /** Load balancers in front, as comma-separated IPs or CIDRs; their X-Forwarded-For is trusted. */
  trustProxy: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F.:/, ]+$' })),
  rentalTokenTtlS: Type.Integer({ minimum: 10, maximum: 900 }),
  maxLoansPerPerson: Type.Integer({ minimum: 0, maximum: 1000 }),
  /** Minutes after its start a reservation waits to be picked up before it expires (default 60). */
  reservationGraceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  /** The longest a reservation may be, in days (default 14). */
  reservationMaxDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  /** How far ahead a reservation may start, in days (default 90). */
  reservationMaxLeadDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 730 })),
  /** Local hour (0-23) of the daily overdue reminder run. */
  reminderHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
  /** Overdue reminders as JSON POSTs to this URL. */
  reminderWebhookUrl: Type.Optional(Type.String({ pattern: '^https?://\\S+$' })),
  /** Overdue reminders by email: smtp://user:pass@host:587 or smtps://... (a secret: never logged). */
  smtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://\\S+$' })),
  /** The From address of reminder emails. */
  smtpFrom: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  ),
});
export type ServerConfig = Static<typeof ServerConfig>;

export const SERVER_DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 8420,
  dataDir: './data/server',
  rentalTokenTtlS: 120,
  maxLoansPerPerson: 5,
  logLevel: 'info',
};

export const SERVER_ENV: EnvBinding[] = [
  { key: 'host', env: 'RENTAL_SERVER_HOST', kind: 'string' },
  { key: 'port', env: 'RENTAL_SERVER_PORT', kind: 'integer' },
  { key: 'dataDir', env: 'RENTAL_SERVER_DATA', kind: 'string' },
  { key: 'databaseUrl', env: 'RENTAL_DATABASE_URL', kind: 'string', secret: true },
  { key: 'databasePoolSize', env: 'RENTAL_DATABASE_POOL_SIZE', kind: 'integer' },
  { key: 'issuer', env: 'RENTAL_SERVER_ISSUER', kind: 'string' },
  { key: 'trustProxy', env: 'RENTAL_TRUST_PROXY', kind: 'string' },
  { key: 'rentalTokenTtlS', env: 'RENTAL_TOKEN_TTL_S', kind: 'integer' },
  { key: 'maxLoansPerPerson', env: 'RENTAL_MAX_LOANS', kind: 'integer' },
  { key: 'logLevel', env: 'RENTAL_LOG_LEVEL', kind: 'string' },
  { key: 'reminderHour', env: 'RENTAL_REMINDER_HOUR', kind: 'integer' },
  { key: 'reservationGraceMinutes', env: 'RENTAL_RESERVATION_GRACE_MIN', kind: 'integer' },
  { key: 'reservationMaxDays', env: 'RENTAL_RESERVATION_MAX_DAYS', kind: 'integer' },
  { key: 'reservationMaxLeadDays', env: 'RENTAL_RESERVATION_MAX_LEAD_DAYS', kind: 'integer' },
  { key: 'reminderWebhookUrl', env: 'RENTAL_REMINDER_WEBHOOK', kind: 'string' },
  { key: 'smtpUrl', env: 'RENTAL_SMTP_URL', kind: 'string', secret: true },
  { key: 'smtpFrom', env: 'RENTAL_SMTP_FROM', kind: 'string' },
];
