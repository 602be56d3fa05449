// Upward imports: what `cards/` (pure card builders) imports that is not pure or that lives in a
// service folder (src/bot, src/admin, src/review, …), and import cycles between the top-level
// folders of src/ (every import counts, type-only ones too). Prints both; exits 0.
// A module is pure when nothing it imports, directly or through other modules, does I/O: no
// node:fs/crypto/net…, no Fastify, Prisma, Lark SDK or logger, no module that isn't pure.
// Usage: node scripts/layer-imports.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'generated' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(relative(root, path));
  }
};
walk(join(root, 'src'));
walk(join(root, 'cards'));

const IO = /^(node:(fs|fs\/promises|crypto|net|http|https|child_process|worker_threads|os|stream|zlib)|fastify|@fastify\/|@prisma\/|@larksuiteoapi\/|pino|better-sqlite3|pg|exceljs|yauzl|undici)/;
const imports = new Map(); // file -> { local: string[], io: boolean }
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const local = [];
  let io = false;
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
    if (m[1].startsWith('.')) local.push(relative(root, resolve(dirname(join(root, file)), m[1]).replace(/\.js$/, '.ts')));
    else if (IO.test(m[1])) io = true;
  }
  imports.set(file, { local, io });
}
const pure = new Map();
const isPure = (file, seen = new Set()) => {
  if (pure.has(file)) return pure.get(file);
  if (seen.has(file)) return true; // a cycle among otherwise pure modules
  seen.add(file);
  const i = imports.get(file);
  const result = !!i && !i.io && i.local.every((f) => isPure(f, seen));
  if (seen.size === 1 || !result) pure.set(file, result);
  return result;
};

// The folder a file belongs to: cards, src/<folder>, or src (top-level wiring: app.ts, main.ts…).
const folderOf = (path) => {
  const parts = path.split('/');
  if (parts[0] === 'cards') return 'cards';
  return parts.length > 2 ? `src/${parts[1]}` : 'src';
};

// Folders of services (and transports) that cards/ must not import from, pure or not.
const SERVICES = ['bot', 'admin', 'review', 'evaluation', 'lark', 'db', 'inbox', 'outbox', 'queue', 'exports', 'files', 'playground', 'emulator'].map((f) => `src/${f}`);
const edges = new Map(); // folder -> folder -> ["file -> target"]
const upward = [];
for (const [file, { local }] of imports) {
  const from = folderOf(file);
  for (const target of local) {
    const to = folderOf(target);
    if (from === 'cards' && to !== 'cards' && (!isPure(target) || SERVICES.includes(to))) upward.push(`${file} -> ${target}`);
    // cards/ sits between the domain and the services: its imports are checked above.
    if (from === to || [from, to].some((f) => f === 'src' || f === 'cards')) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, []);
    out.get(to).push(`${file} -> ${target}`);
  }
}
const cycles = [];
for (const [a, out] of edges) for (const [b, list] of out) if (a < b && edges.get(b)?.has(a)) cycles.push({ a, b, ab: list, ba: edges.get(b).get(a) });

console.log(`upward imports from cards/: ${upward.length}`);
for (const u of upward) console.log(`  ${u}`);
console.log(`folder cycles in src/ (a <-> b): ${cycles.length}`);
for (const c of cycles.sort((x, y) => `${x.a}${x.b}`.localeCompare(`${y.a}${y.b}`))) {
  console.log(`  ${c.a} <-> ${c.b}`);
  for (const e of [...c.ab, ...c.ba]) console.log(`    ${e}`);
}
