/** Small statistics for the benchmarks: percentiles over samples in milliseconds, and RSS. */
import { readFileSync } from 'node:fs';

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function statusMb(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}

/** Peak resident set size (VmHWM) of a process, in MB. */
export const peakRssMb = (pid: number | 'self' = 'self'): number => statusMb(pid, 'VmHWM');

/** Resident set size now (VmRSS) of a process, in MB. */
export const rssMb = (pid: number | 'self' = 'self'): number => statusMb(pid, 'VmRSS');

export const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** One line of the bench table: a figure, its baseline and ratio, the goal and whether it was met. */
export type Row = [
  figure: string,
  value: string,
  baseline: string,
  ratio: string,
  goal: string,
  met: boolean | null,
];
