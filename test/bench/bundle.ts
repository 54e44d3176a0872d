/** bundle: the renderer built by Vite (production), its JavaScript gzipped, in KB. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { round } from './stats.ts';

export function buildRenderer(root: string, outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'src-renderer/vite.config.ts',
      '--outDir',
      outDir,
      '--logLevel',
      'error',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

export function jsGzipKb(outDir: string): { js_gzip_kb: number; files: number } {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.m?js$/.test(e.name)) files.push(join(dir, e.name));
    }
  };
  walk(outDir);
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  return { js_gzip_kb: round(bytes / 1024, 1), files: files.length };
}
