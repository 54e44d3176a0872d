/**
 * The admin CLI's commands, apart from process I/O so tests run them directly: they take
 * the server's parts and an output port, and return an exit code. server/cli.ts wires them.
 *
 * Passwords never come as arguments (they would sit in shell history and `ps`): they are
 * read from stdin with --password-stdin.
 */
import { parseCliArgs, UsageError, type ParsedArgs } from './args.ts';
import { readFileSync } from 'node:fs';
import {
  CreatePersonRequest,
  credentialHint,
  normalizeCredential,
  toIso,
  type Role,
} from '../../protocol/index.ts';
import { check, describeErrors } from '../../protocol/validate.ts';
import { createKioskWithCode, ENROLLMENT_TTL_MS, renewKioskCode } from '../auth/enrollment.ts';
import { hashPassword } from '../auth/passwords.ts';
import { KEY_RETIREMENT_MS } from '../keys/key-lifecycle.ts';
import { KEY_REFRESH_MS } from '../keys/key-ring.ts';
import type { ServerDeps } from '../deps.ts';
import {
  createMetricsToken,
  METRICS_TOKEN_REFRESH_MS,
  revokeMetricsToken,
} from '../metrics/metrics-token.ts';
import { importCsv } from '../import/csv-import.ts';
import { decodeCsvBytes, importWords, issueSentence } from '../../protocol/csv-import.ts';
import { userInfo } from 'node:os';

export type CliIo = {
  out(line: string): void;
  err(line: string): void;
  readStdin(): Promise<string>;
};

export type CliDeps = Pick<ServerDeps, 'store' | 'keys' | 'hashBadge' | 'rosterHash' | 'clock' | 'sessions'>;

export const USAGE = `usage: npm run admin -- <command>
  person create <email> <display name> [--role member|staff|admin] [--password-stdin]
  person password <email> --password-stdin      set a password; ends that person's sessions
  person deactivate <email>                     refuse their badges and sign-ins from now on
  person sso <email>                            the single sign-on accounts linked to a person
  person sso-unlink <email>                     remove those links; the next sign-in links by the configured claim again
  badge add <email> <credential> [--label <text>]   e.g. nfc:04a1b2c3d4e5f6, kbd:1000234
  item create <tag> <name> --category <c> --days <n> [--restricted staff|admin] [--locker <slot>]
  kiosk create <name> [--json]                  prints the one-time enrollment code
  kiosk rekey <kioskId> [--json]                a new one-time code for a kiosk whose key files were lost:
                                                it enrols again as the same kiosk and sends what it kept
  kiosk revoke <kioskId>                        refused on its next call
  keys rotate                                   new signing key, used by every server within seconds
  keys list                                     signing keys: created, signing / retiring
  import people <file.csv> [--dry-run] [--skip-bad] [--lang ko|en]
                                                columns: name, email, role, department, employeeNumber, badges
                                                (Korean headers too: 이름, 이메일, 역할, 부서, 사번, 사원증/카드 번호);
                                                a person is matched by email, else employee number
  import items <file.csv> [--dry-run] [--skip-bad] [--lang ko|en]
                                                columns: tag, name, category, loanDays[, restrictedTo, lockerSlot, retired]
                                                UTF-8 or Korean Excel's CP949; all rows or none unless --skip-bad
  backup [--to <dir>]                           an online backup of the SQLite database and its keys, now
  restore <backup file>                         the backup's database and keys in place; refused while a server has it open
  catalog reissue                               every kiosk pulls the whole catalog again (run after a pg_restore)
  metrics token [--revoke]                      a new bearer token for Prometheus at /metrics (shown once; the old one
                                                stops working on every server within 30 s), or none`;

type Parsed = ParsedArgs;

export { UsageError };

const ROLES: readonly Role[] = ['member', 'staff', 'admin'];
const asRole = (v: string | true | undefined, fallback: Role | null): Role | null => {
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (ROLES as string[]).includes(v)) return v as Role;
  throw new UsageError(`role must be one of ${ROLES.join(', ')}`);
};

async function readPassword(io: CliIo): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length < 10) throw new UsageError('password must be at least 10 characters');
  return password;
}

async function personByEmail(deps: CliDeps, email: string) {
  const user = await deps.store.findUserByEmail(email);
  if (!user) throw new UsageError(`no person with email ${email}`);
  return user;
}

function credentialOf(raw: string) {
  const credential = normalizeCredential(raw);
  if (!credential)
    throw new UsageError(`not a badge credential: ${raw} (e.g. nfc:04a1b2c3d4e5f6, kbd:1000234)`);
  return credential;
}

export async function runCli(argv: string[], deps: CliDeps, io: CliIo): Promise<number> {
  let args: Parsed;
  try {
    args = parseCliArgs(argv);
    return await dispatch(args, deps, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return 2;
    }
    throw err;
  }
}

async function dispatch({ positional, flags }: Parsed, deps: CliDeps, io: CliIo): Promise<number> {
  const [noun, verb, ...rest] = positional;
  const now = deps.clock.now();
  const command = `${noun ?? ''} ${verb ?? ''}`;

  switch (command) {
    case 'person create': {
      const [email, ...name] = rest;
      if (!email || name.length === 0) throw new UsageError('person create <email> <display name>');
      if (await deps.store.findUserByEmail(email)) throw new UsageError(`${email} is already registered`);
      const candidate = { email, displayName: name.join(' '), role: asRole(flags.get('--role'), 'member')! };
      if (!check(CreatePersonRequest, candidate))
        throw new UsageError(describeErrors(CreatePersonRequest, candidate).join('; '));
      const passwordHash = flags.has('--password-stdin') ? await hashPassword(await readPassword(io)) : null;
      const user = await deps.store.createUser({ ...candidate, active: true, passwordHash });
      io.out(`person ${user.id} ${user.email} (${user.role})`);
      return 0;
    }
    case 'person password': {
      const user = await personByEmail(deps, rest[0] ?? '');
      if (!flags.has('--password-stdin'))
        throw new UsageError('give the password on stdin with --password-stdin');
      await deps.store.setPasswordHash(user.id, await hashPassword(await readPassword(io)), now);
      const ended = await deps.sessions.revokeAllOf(user.id, 'password set by admin CLI');
      io.out(`password set for ${user.email}; ${ended} session(s) ended`);
      return 0;
    }
    case 'person deactivate': {
      const user = await personByEmail(deps, rest[0] ?? '');
      await deps.store.setUserActive(user.id, false);
      const ended = await deps.sessions.revokeAllOf(user.id, 'deactivated by admin CLI');
      io.out(`${user.email} deactivated; ${ended} session(s) ended`);
      return 0;
    }
    case 'person sso': {
      const user = await personByEmail(deps, rest[0] ?? '');
      const links = await deps.store.identitiesOf(user.id);
      if (links.length === 0) io.out(`${user.email}: no single sign-on account linked`);
      for (const l of links)
        io.out(
          `${l.issuer} ${l.subject} linked ${new Date(l.createdAt).toISOString()}` +
            (l.lastLoginAt === null ? '' : `, last sign-in ${new Date(l.lastLoginAt).toISOString()}`),
        );
      return 0;
    }
    case 'person sso-unlink': {
      const user = await personByEmail(deps, rest[0] ?? '');
      const removed = await deps.store.unlinkIdentitiesOf(user.id);
      await deps.store.audit(
        {
          actor: { kind: 'system', id: null, name: 'admin CLI', via: 'cli' },
          action: 'sso.unlink',
          targetKind: 'person',
          targetId: user.id,
          detail: `${removed} single sign-on link(s) removed`,
        },
        now,
      );
      io.out(`${user.email}: ${removed} single sign-on link(s) removed`);
      return 0;
    }
    case 'badge add': {
      const [email, raw] = rest;
      if (!email || !raw) throw new UsageError('badge add <email> <credential>');
      const user = await personByEmail(deps, email);
      const credential = credentialOf(raw);
      const hash = deps.hashBadge(credential);
      if (await deps.store.findUserByBadgeHash(hash)) throw new UsageError('that badge is already enrolled');
      // The label is the admin's name for the card, shown on the dashboard; where it was added
      // goes to the audit log. The hint (kind + last digits) is what tells badges apart.
      const label = flags.get('--label');
      const hint = credentialHint(credential);
      await deps.store.withTransaction(async (tx) => {
        await tx.addBadgeWithHint(
          user.id,
          {
            credentialHash: hash,
            rosterHash: deps.rosterHash(credential),
            hint,
            label: typeof label === 'string' && label.trim() ? label.trim().slice(0, 100) : null,
          },
          now,
        );
        await tx.audit(
          {
            actor: { kind: 'system', id: null, name: `admin CLI (${osUser()})`, via: 'cli' },
            action: 'badge.add',
            targetKind: 'person',
            targetId: user.id,
            detail: `${user.displayName} + ${hint}`,
          },
          now,
        );
      });
      io.out(`badge ${hint} added to ${user.email}`);
      return 0;
    }
    case 'item create': {
      const [tag, ...name] = rest;
      const category = flags.get('--category');
      const days = Number(flags.get('--days'));
      if (!tag || name.length === 0 || typeof category !== 'string' || !Number.isInteger(days) || days < 1)
        throw new UsageError('item create <tag> <name> --category <c> --days <n>');
      if (await deps.store.findItemIdByTag(tag)) throw new UsageError(`tag ${tag} is already used`);
      const locker = flags.get('--locker');
      const item = await deps.store.createItem({
        tag,
        name: name.join(' '),
        category,
        loanDays: days,
        restrictedTo: asRole(flags.get('--restricted'), null),
        lockerSlot: typeof locker === 'string' ? locker : null,
      });
      io.out(`item ${item.id} ${item.tag} "${item.name}"`);
      return 0;
    }
    case 'kiosk create': {
      if (rest.length === 0) throw new UsageError('kiosk create <name>');
      const created = await createKioskWithCode(deps.store, rest.join(' '), now);
      printCode(io, flags.has('--json'), created, now);
      return 0;
    }
    case 'kiosk rekey': {
      const renewed = rest[0] ? await renewKioskCode(deps.store, rest[0], now) : null;
      if (!renewed) {
        io.err(`no active kiosk ${rest[0] ?? ''}`);
        return 1;
      }
      printCode(io, flags.has('--json'), renewed, now, '; its old key stops working once it is used');
      return 0;
    }
    case 'kiosk revoke': {
      if (!rest[0] || !(await deps.store.revokeKiosk(rest[0], now))) {
        io.err(`no active kiosk ${rest[0] ?? ''}`);
        return 1;
      }
      // The store moved its roster key on in the same statement: the roster it holds matches nothing issued after.
      io.out(`kiosk ${rest[0]} revoked; refused from its next call; its offline roster key rotated`);
      return 0;
    }
    case 'keys rotate': {
      const key = await deps.keys.rotate(now);
      const signsFrom = deps.keys.list().find((k) => k.kid === key.kid)?.signsFrom ?? now;
      io.out(
        `new signing key ${key.kid}: every server publishes it within ~${KEY_REFRESH_MS / 1000} s and signs with it from ${toIso(signsFrom)}; no restart needed`,
      );
      io.out(
        `the key it replaces keeps verifying for ${KEY_RETIREMENT_MS / 3_600_000} h after that (the longest a token lives, plus a margin), then is retired`,
      );
      return 0;
    }
    case 'keys list': {
      for (const k of deps.keys.list()) {
        const phase =
          k.phase === 'pending'
            ? `published, signs from ${toIso(k.signsFrom)}`
            : k.phase === 'retiring'
              ? `retiring, verifies until ${toIso(k.retiresAt!)}`
              : k.phase;
        io.out(`${k.kid}  (${phase})  created ${toIso(k.createdAt)}`);
      }
      return 0;
    }
    case 'metrics token': {
      if (flags.has('--revoke')) {
        await revokeMetricsToken(deps.store, now);
        io.out(
          `metrics token removed: /metrics answers 401 on every server within ${METRICS_TOKEN_REFRESH_MS / 1000} s`,
        );
        return 0;
      }
      const token = await createMetricsToken(deps.store, now);
      io.out(token);
      io.err(
        `the metrics bearer token above is shown once (only its hash is kept); the one before stops working within ${METRICS_TOKEN_REFRESH_MS / 1000} s`,
      );
      return 0;
    }
    case 'import people':
    case 'import items': {
      const file = rest[0];
      if (!file) throw new UsageError(`${command} <file.csv> [--dry-run] [--lang ko|en]`);
      const lang = flags.get('--lang') ?? 'en';
      if (lang !== 'en' && lang !== 'ko') throw new UsageError('--lang must be ko or en');
      const kind = verb === 'people' ? 'people' : 'items';
      const { text } = decodeCsvBytes(readFileSync(file));
      const dryRun = flags.has('--dry-run');
      const report = await importCsv(deps, kind, text, {
        dryRun,
        skipBad: flags.has('--skip-bad'),
        actor: { kind: 'system', id: null, name: `admin CLI (${osUser()})`, via: 'cli' },
      });
      for (const issue of report.fileIssues) io.err(issueSentence(lang, kind, issue));
      for (const row of report.rows) for (const issue of row.issues) io.err(issueSentence(lang, kind, issue));
      if (report.ignoredColumns.length)
        io.out(importWords(lang, 'ignoredColumns', { columns: report.ignoredColumns.join(', ') }));
      const bad = report.fileIssues.length > 0 || report.counts.error > 0;
      const counts = { ...report.counts };
      if (dryRun) io.out(importWords(lang, 'summaryDry', counts));
      else if (!report.applied) io.out(importWords(lang, 'summaryRefused'));
      else {
        io.out(importWords(lang, 'summaryApplied', counts));
        if (counts.error) io.out(importWords(lang, 'summarySkipped', counts));
      }
      return bad ? 1 : 0;
    }
    default:
      io.err(USAGE);
      return 2;
  }
}

/** Who runs the CLI, for the audit log: the operating system's user name. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** A kiosk's one-time enrolment code, the only time it exists in clear (create and rekey). */
function printCode(
  io: CliIo,
  json: boolean,
  { kiosk, code }: { kiosk: { id: string; name: string }; code: string },
  now: number,
  more = '',
) {
  const expiresAt = toIso(now + ENROLLMENT_TTL_MS);
  if (json) io.out(JSON.stringify({ kioskId: kiosk.id, name: kiosk.name, code, expiresAt }));
  else
    io.out(
      `kiosk ${kiosk.id} "${kiosk.name}"\nenrollment code: ${code} (one use, expires ${expiresAt}${more})`,
    );
}
