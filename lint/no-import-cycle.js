// An ESLint rule: no file may reach itself through the modules it imports at run time
// (STYLE.md; a cycle makes load order decide what is undefined). Type-only imports are
// erased by the compiler and are not followed. The graph is read from the files on disk,
// once per lint run, with the same relative-import syntax the house uses ('./x.ts').
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?'(\.[^']+)'/gm;
const edges = new Map();

function importsOf(file) {
  let deps = edges.get(file);
  if (deps) return deps;
  deps = [];
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // not on disk (a virtual file in a test of the rule): no edges
  }
  for (const m of text.matchAll(IMPORT)) {
    if (m[1]) continue; // import type …
    const target = path.resolve(path.dirname(file), m[2]);
    if (fs.existsSync(target)) deps.push(target);
  }
  edges.set(file, deps);
  return deps;
}

/** A path from `start` back to itself, or null. */
function cycleThrough(start) {
  const seen = new Set();
  const trail = [start];
  const visit = (file) => {
    for (const next of importsOf(file)) {
      if (next === start) return [...trail, start];
      if (seen.has(next)) continue;
      seen.add(next);
      trail.push(next);
      const found = visit(next);
      if (found) return found;
      trail.pop();
    }
    return null;
  };
  return visit(start);
}

export default {
  rules: {
    'no-import-cycle': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        return {
          Program(node) {
            // This file's own arrows from the text being linted; the others' from disk.
            const own = [];
            for (const stmt of node.body) {
              const source = stmt.source?.value;
              const typeOnly = stmt.importKind === 'type' || stmt.exportKind === 'type';
              if (typeof source !== 'string' || !source.startsWith('.') || typeOnly) continue;
              const target = path.resolve(path.dirname(context.filename), source);
              if (fs.existsSync(target)) own.push(target);
            }
            edges.set(context.filename, own);
            const cycle = cycleThrough(context.filename);
            if (!cycle) return;
            const shown = cycle.map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
            context.report({ node, message: `import cycle: ${shown.join(' -> ')}` });
          },
        };
      },
    },
  },
};
