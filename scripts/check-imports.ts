/**
 * Import boundaries, checked before the tests (madge does this for BullMQ; its
 * peer range excludes TypeScript 7, so this is the small part we need):
 * - lib/ never imports Next, React or React Flow, nor app/, components/ or workers/
 *   (browser-side helpers without React live in lib/client; hooks in components/);
 * - workers/ imports only lib/ (and packages);
 * - no import cycles among our own files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const dirs = ['app', 'components', 'lib', 'workers', 'scripts'];
const skip = new Set(['node_modules', 'generated', '.next']);

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (skip.has(entry)) continue;
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = dirs.flatMap((d) => walk(path.join(root, d)));
const importRe = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = path.join(root, spec.slice(2));
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const cand of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(cand) && statSync(cand).isFile()) return cand;
  }
  return null;
}

const problems: string[] = [];
const graph = new Map<string, string[]>();
const rel = (p: string) => path.relative(root, p);

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const area = rel(file).split(path.sep)[0]!;
  const edges: string[] = [];
  for (const m of text.matchAll(importRe)) {
    const spec = (m[1] ?? m[2])!;
    const target = resolve(file, spec);
    const isTypeOnly = /^\s*(?:import|export)\s+type\s/.test(m[0]);
    if (area === 'lib') {
      if (/^(next|react|react-dom|@xyflow\/)/.test(spec) || spec === 'next' || spec === 'react') {
        problems.push(`${rel(file)} imports ${spec}: lib/ stays free of the framework`);
      }
      if (target && !rel(target).startsWith('lib')) problems.push(`${rel(file)} imports ${rel(target)}: lib/ imports only lib/`);
    }
    if (area === 'workers' && target && !/^(lib|workers)/.test(rel(target))) {
      problems.push(`${rel(file)} imports ${rel(target)}: workers/ imports only lib/`);
    }
    if (target && !isTypeOnly) edges.push(target);
  }
  graph.set(file, edges);
}

// Cycle search (iterative DFS with colours), type-only imports excluded.
const colour = new Map<string, 0 | 1 | 2>();
const stack: string[] = [];
function visit(node: string) {
  colour.set(node, 1);
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    const c = colour.get(next) ?? 0;
    if (c === 1) {
      const cycle = stack.slice(stack.indexOf(next)).concat(next).map(rel);
      problems.push(`import cycle: ${cycle.join(' -> ')}`);
    } else if (c === 0) visit(next);
  }
  stack.pop();
  colour.set(node, 2);
}
for (const f of files) if (!colour.get(f)) visit(f);

if (problems.length) {
  process.stderr.write(`Import boundary check failed:\n${[...new Set(problems)].map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`import boundaries ok (${files.length} files)\n`);
