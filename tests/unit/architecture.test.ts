// The shape of the code, read from its import graph: the pure cores (card builders, rules, the form
// engine) reach no I/O, even through what they import; the domain speaks to Lark only through
// types; folders depend on each other one way (no two folders import each other, directly or round
// a longer loop). This keeps true what docs/architecture.md says.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

interface Import {
  /** A project file (relative to the root, .ts) or a package name. */
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(PROJECT_ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'generated' || name === 'public') continue;
    if (statSync(join(PROJECT_ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('cards')];

function importsOf(file: string): Import[] {
  const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
    const spec = m[2]!;
    if (spec.startsWith('.'))
      out.push({ to: relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), spec)).replace(/\.js$/, '.ts'), typeOnly: Boolean(m[1]) });
    else out.push({ to: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!, typeOnly: Boolean(m[1]) });
  }
  return out;
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/** Everything a file reaches through value imports (types are erased and do no I/O). */
function reach(file: string): Set<string> {
  const seen = new Set<string>();
  const stack = [file];
  while (stack.length) {
    const f = stack.pop()!;
    for (const i of GRAPH.get(f) ?? []) {
      if (i.typeOnly || seen.has(i.to)) continue;
      seen.add(i.to);
      if (GRAPH.has(i.to)) stack.push(i.to);
    }
  }
  return seen;
}

/** Packages and folders that do I/O: the database, Lark, HTTP, files, queues. */
const IO_PACKAGES = [
  '@prisma/client',
  '@prisma/adapter-better-sqlite3',
  '@prisma/adapter-pg',
  '@larksuiteoapi/node-sdk',
  'fastify',
  'better-sqlite3',
  'pg',
  'undici',
  'node:fs',
  'node:http',
  'node:https',
  'node:net',
  'node:child_process',
  'fs',
  'http',
  'https',
];
const IO_FOLDERS = ['src/db/', 'src/lark/', 'src/outbox/', 'src/inbox/', 'src/queue/', 'src/emulator/', 'src/playground/'];
const isIo = (to: string) => IO_PACKAGES.includes(to) || to.startsWith('@fastify/') || IO_FOLDERS.some((d) => to.startsWith(d));

/** What the Approval Center and the ledger show (src/mirrors/ builds it purely; its sync does the I/O). */
const PURE_MIRRORS = ['src/mirrors/approval-instance.ts', 'src/mirrors/ledger-record.ts'];
const PURE = (f: string) => f.startsWith('cards/') || f.startsWith('src/rules/') || f.startsWith('src/forms/') || PURE_MIRRORS.includes(f);
const DOMAIN = [
  'src/applications/',
  'src/review/',
  'src/admin/',
  'src/evaluation/',
  'src/access/',
  'src/privacy/',
  'src/exports/',
  'src/campaigns/',
  'src/forms/',
  'src/rules/',
];

/** The folder a file is in (cards, src/<folder>); a file at src's root (app.ts, log.ts…) stands alone. */
const folderOf = (f: string) => (f.startsWith('cards/') ? 'cards' : f.split('/').length > 2 ? f.split('/').slice(0, 2).join('/') : f);

describe('the import graph', () => {
  it('reads every file (a guard against the test reading nothing)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES.filter(PURE).length).toBeGreaterThan(30);
    expect([...GRAPH.values()].flat().length).toBeGreaterThan(500);
  });

  it('the pure cores (cards/, src/rules/, src/forms/, the mirrors’ builders) reach no database, no Lark, no HTTP, no file system', () => {
    const offences = FILES.filter(PURE).flatMap((f) => [...reach(f)].filter(isIo).map((to) => `${f} → ${to}`));
    expect(offences).toEqual([]);
  });

  it('the domain knows Lark only through types (the messenger port, the event shapes), never its HTTP details', () => {
    const offences = FILES.filter((f) => DOMAIN.some((d) => f.startsWith(d))).flatMap((f) =>
      (GRAPH.get(f) ?? []).filter((i) => i.to.startsWith('src/lark/') && !i.typeOnly).map((i) => `${f} → ${i.to}`),
    );
    expect(offences).toEqual([]);
  });

  it('folders depend one way: no folder reaches back to a folder that imports it', () => {
    const edges = new Map<string, Set<string>>();
    for (const [f, imports] of GRAPH) {
      for (const i of imports) {
        if (!GRAPH.has(i.to) || i.typeOnly) continue;
        const [a, b] = [folderOf(f), folderOf(i.to)];
        if (a !== b) edges.set(a, new Set([...(edges.get(a) ?? []), b]));
      }
    }
    const reaches = (from: string, to: string) => {
      const seen = new Set<string>();
      const stack = [from];
      while (stack.length) {
        for (const n of edges.get(stack.pop()!) ?? []) {
          if (n === to) return true;
          if (!seen.has(n)) seen.add(n), stack.push(n);
        }
      }
      return false;
    };
    const loops = [...edges].flatMap(([a, bs]) => [...bs].filter((b) => reaches(b, a)).map((b) => `${a} → ${b} → … → ${a}`));
    expect(loops).toEqual([]);
  });
});
