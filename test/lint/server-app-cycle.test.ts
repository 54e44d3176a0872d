/**
 * The server's composition root (server/app.ts) imports every feature; no feature may import
 * it back, not even for a type. Type-only imports are erased at run time (the eslint cycle rule
 * allows them), but a circle through the root still ties every route to every other one: the
 * features take the typed instance from server/http/app-type.ts and are registered as plugins.
 * Read with the TypeScript compiler's own import scanner, so `import type` and re-exports count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const APP = resolve(ROOT, 'server', 'app.ts');

/** The repository's own .ts modules a file imports (type-only included), as absolute paths. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name))
    .filter((path) => path.endsWith('.ts') && existsSync(path));
}

/** Every module that server/app.ts reaches and that reaches server/app.ts again, with one path back. */
function circlesThroughApp(): string[] {
  const graph = new Map<string, string[]>();
  const pending = [APP];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const next = importsOf(file);
    graph.set(file, next);
    pending.push(...next);
  }
  // Breadth-first from each module toward app.ts: the shortest way back, for the message.
  const wayBack = (from: string): string[] | undefined => {
    const seen = new Map<string, string | null>([[from, null]]);
    const queue = [from];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const next of graph.get(file) ?? []) {
        if (seen.has(next)) continue;
        seen.set(next, file);
        if (next === APP) {
          const path = [APP];
          for (let at: string | null = file; at !== null; at = seen.get(at) ?? null) path.unshift(at);
          return path;
        }
        queue.push(next);
      }
    }
    return undefined;
  };
  const out: string[] = [];
  for (const file of graph.keys()) {
    if (file === APP) continue;
    const path = wayBack(file);
    if (path) out.push(path.map((p) => relative(ROOT, p)).join(' -> '));
  }
  return out.sort();
}

describe('server/app.ts', () => {
  it('reads imports the way the rule needs (type-only and re-exports count)', () => {
    const { importedFiles } = ts.preProcessFile(
      "import type { A } from './a.ts';\nexport { b } from './b.ts';\nimport './c.ts';",
      true,
      true,
    );
    expect(importedFiles.map((f) => f.fileName)).toEqual(['./a.ts', './b.ts', './c.ts']);
  });

  it('imports many features', () => {
    // The walk must see the server; an empty graph would pass the next test for nothing.
    expect(importsOf(APP).length).toBeGreaterThan(5);
  });

  it('is in no import circle: no module it reaches imports it back', () => {
    expect(circlesThroughApp()).toEqual([]);
  });
});
