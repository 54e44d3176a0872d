// Loaded into every Node process of `npm run test:arm64` (NODE_OPTIONS=--import=<this file>):
// vitest itself, its forked workers, and the kiosk processes the crash suite starts and kills.
//
// - Refuses to run on anything but arm64: no test of the arm64 run can quietly fall back to
//   the host's x64 Node.
// - Without binfmt_misc (containers, CI VMs) the kernel cannot start an arm64 executable, so a
//   child started with process.execPath would fail with ENOEXEC. ARM64_NODE names a two-line
//   shell shim that execs the same arm64 Node under qemu-aarch64-static; children started with
//   process.execPath (vitest's fork pool, the crash suite's kiosk) go through it and are arm64
//   Node too. With binfmt_misc registered, ARM64_NODE is unset and nothing is changed.
// - Appends "pid arch argv" to ARM64_PROCESS_LOG, so the run can count its arm64 processes.
import { appendFileSync } from 'node:fs';

if (process.arch !== 'arm64') {
  console.error(`test:arm64: a ${process.arch} Node started inside the arm64 run: ${process.argv.join(' ')}`);
  process.exit(70);
}
if (process.env.ARM64_NODE) process.execPath = process.env.ARM64_NODE;
if (process.env.ARM64_PROCESS_LOG) {
  const what = process.argv
    .slice(1)
    .map((a) => a.replace(/^.*\/node_modules\//, ''))
    .join(' ')
    .slice(0, 160);
  appendFileSync(process.env.ARM64_PROCESS_LOG, `${process.pid} ${process.arch} ${what}\n`);
}
