/**
 * A throwaway PostgreSQL cluster for tests (shared/recipes/postgres-in-tests.md): its own
 * data directory in a temp dir, on a free loopback port, with trust auth for the `rental`
 * role. PostgreSQL refuses to run as root, so as root (CI, these machines) the directory is
 * owned by the `postgres` user and initdb/pg_ctl run through `runuser -u postgres --`; as
 * anyone else (a developer's laptop) they run directly as that user.
 *
 * One cluster per test file is cheap (initdb + start well under a second or two); each test
 * file that needs several fresh databases calls createDatabase() on its one cluster.
 *
 * Callers MUST call stop() in afterAll (it stops the server and removes the directory):
 *
 *   let pg: PgCluster | undefined;
 *   beforeAll(async () => { pg = await startPostgres(); });
 *   afterAll(async () => { await pg?.stop(); });
 *
 * As a safety net, each cluster has a watchdog (a detached `sh` polling the test process every
 * second) that stops it (immediate mode) and removes its directory once the test process is
 * gone: vitest ends its worker processes without running their 'exit' handlers, and a
 * daemonized postmaster does not die with its parent, so an exit hook alone leaks clusters.
 *
 * Missing PostgreSQL: suites are skipped with a one-line reason, except under RENTAL_CI=1
 * where they must fail instead (CI installs it, so absence there is a real fault).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The role initdb creates as superuser; every URL connects as it (trust auth, loopback only). */
export const PG_USER = 'rental';

export type PgCluster = {
  /** postgres://rental@127.0.0.1:PORT/postgres (the maintenance database). */
  readonly url: string;
  readonly port: number;
  /** The temp dir holding the data directory (`pg/`), the socket and the server log (`pg.log`). */
  readonly dir: string;
  /** CREATE DATABASE <name> (lowercase letters, digits, _); resolves to its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m immediate`: the database goes away at once, as in a crash (no checkpoint). */
  stopImmediate(): Promise<void>;
  /** Start the stopped server again on the same port (crash recovery runs after stopImmediate). */
  start(): Promise<void>;
  /** Fast stop (if running) and remove the temp dir. Idempotent. Call it in afterAll. */
  stop(): Promise<void>;
};

/** The directory holding initdb and pg_ctl: Debian's newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(a) - Number(b))
      .reverse();
    for (const v of versions) {
      const bin = join(root, v, 'bin');
      if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

const isRoot = () => process.getuid?.() === 0;

/** uid/gid of the `postgres` user, or null when there is none. */
function postgresUser(): { uid: number; gid: number } | null {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === 'postgres' && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** Null when the suite may run; otherwise why it is skipped. Throws under RENTAL_CI=1. */
export function postgresSkipReason(): string | null {
  let reason: string | null = null;
  if (!postgresBinDir()) {
    reason = 'no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)';
  } else if (isRoot() && !postgresUser()) {
    reason = 'running as root and there is no postgres user to own the cluster (apt-get install postgresql)';
  }
  if (reason === null) return null;
  if (process.env.RENTAL_CI === '1') throw new Error(`RENTAL_CI=1 and ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}

/** A loopback port that was free a moment ago (bind 127.0.0.1:0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * A detached watchdog: once this process is gone (however it ended), run `cleanup` (an argv,
 * output ignored) and remove `dir`. Returns a function that ends the watchdog (by its process
 * group id) for when the caller cleaned up itself.
 */
export function cleanupWhenProcessDies(dir: string, cleanup: string[]): () => void {
  const script =
    'parent=$1; dir=$2; shift 2; ' +
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done; ' +
    '"$@" >/dev/null 2>&1; rm -rf "$dir"';
  const child = spawn('sh', ['-c', script, 'watchdog', String(process.pid), dir, ...cleanup], {
    cwd: '/',
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {}); // no sh: no safety net, the caller's stop() still works
  child.unref();
  let ended = false;
  return () => {
    if (ended || child.pid === undefined) return;
    ended = true;
    try {
      process.kill(-child.pid, 'SIGKILL'); // the sh and its current `sleep 1`
    } catch {
      // already gone
    }
  };
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('startPostgres: no initdb/pg_ctl (see postgresSkipReason)');
  const owner = isRoot() ? postgresUser() : null;
  if (isRoot() && !owner) throw new Error('startPostgres: running as root and there is no postgres user');

  const dir = await mkdtemp(join(tmpdir(), 'rental-pg-'));
  const data = join(dir, 'pg');
  const log = join(dir, 'pg.log');
  await chmod(dir, 0o755);
  if (owner) await chown(dir, owner.uid, owner.gid);

  /** Run a PostgreSQL program as the cluster's owner; cwd is the temp dir, which it can read. */
  const command = (program: string, args: string[]): [string, string[]] =>
    owner ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
  const pgRun = async (program: string, args: string[]) => {
    const [file, argv] = command(program, args);
    try {
      await run(file, argv, { cwd: dir, timeout: 60_000 });
    } catch (err) {
      const e = err as Error & { stderr?: string; stdout?: string };
      const logTail = await readFile(log, 'utf8').then(
        (text) => text.split('\n').slice(-15).join('\n'),
        () => '',
      );
      throw new Error(
        `${program} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}` +
          (logTail ? `\n--- ${log} ---\n${logTail}` : ''),
      );
    }
  };

  let port = 0;
  let running = false;
  const pgCtlStart = () =>
    pgRun('pg_ctl', [
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-t',
      '30',
      // pg_ctl passes -o through a shell; the temp dir name has no spaces or quotes.
      '-o',
      `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c max_connections=200`,
      'start',
    ]);
  const pgCtlStop = (mode: 'fast' | 'immediate') =>
    pgRun('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);

  const endWatchdog = cleanupWhenProcessDies(
    dir,
    command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).flat(),
  );

  try {
    // UTF8 whatever the machine's locale (a POSIX locale would give SQL_ASCII); C collation
    // keeps ORDER BY deterministic across machines. --no-sync only skips initdb's final
    // flush of a directory we throw away; the server itself keeps its default fsync=on.
    await pgRun('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      PG_USER,
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // Another process may take the free port between freePort() and the bind: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await pgCtlStart();
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    running = true;
  } catch (err) {
    endWatchdog();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  const url = `postgres://${PG_USER}@127.0.0.1:${port}/postgres`;
  let stopped = false;

  return {
    url,
    port,
    dir,
    async createDatabase(name) {
      if (!DB_NAME.test(name)) throw new Error(`createDatabase: bad database name ${JSON.stringify(name)}`);
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {}); // a server stopped meanwhile surfaces as the query's rejection
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://${PG_USER}@127.0.0.1:${port}/${name}`;
    },
    async stopImmediate() {
      if (!running) throw new Error('stopImmediate: the cluster is not running');
      await pgCtlStop('immediate');
      running = false;
    },
    async start() {
      if (stopped) throw new Error('start: the cluster was removed by stop()');
      if (running) return;
      await pgCtlStart();
      running = true;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (running) await pgCtlStop('fast').catch(() => pgCtlStop('immediate'));
        running = false;
      } finally {
        endWatchdog();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
