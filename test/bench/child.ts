/** Runs a benchmark part (a .ts file) in its own Node process under tsx and reads its JSON lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type BenchChild = {
  pid: number;
  /** The next JSON line the child prints. */
  next<T>(timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
  process: ChildProcess;
};

/** `pin`: the CPUs (taskset list, e.g. '1') the child and every thread it makes may run on. */
export function startChild(file: string, env: Record<string, string> = {}, pin?: string): BenchChild {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of every part (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const argv = [...profile, '--import', 'tsx', file];
  const child = spawn(
    pin ? 'taskset' : process.execPath,
    pin ? ['-c', pin, process.execPath, ...argv] : argv,
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return {
    pid: child.pid!,
    process: child,
    next<T>(timeoutMs = 120_000) {
      const ready = lines.shift();
      if (ready) return Promise.resolve(JSON.parse(ready) as T);
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${file}: no answer in ${timeoutMs} ms`)), timeoutMs);
        waiting.push((line) => (clearTimeout(t), resolve(JSON.parse(line) as T)));
        void exited.then(() => reject(new Error(`${file} exited`)));
      });
    },
    /** SIGTERM; SIGKILL if it has not exited 5 s later. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 5_000)));
      if ((await Promise.race([exited, late])) === 'late') {
        process.stderr.write(`bench: ${file} did not stop within 5 s of SIGTERM; killed\n`);
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    },
  };
}
