// Generates the two Prisma clients (SQLite and PostgreSQL) from prisma/schema.prisma.
// The Prisma CLI insists on fetching its native schema engine from a host that is unreachable
// here; generation does not use it, so any existing executable satisfies the check.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
const pgSchema = source.replace('provider = "sqlite"', 'provider = "postgresql"').replace('../src/db/generated/sqlite', '../../src/db/generated/postgres');
const pgDir = join(root, 'prisma/generated');
mkdirSync(pgDir, { recursive: true });
writeFileSync(join(pgDir, 'postgres.prisma'), '// Generated from prisma/schema.prisma. Do not edit.\n' + pgSchema);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const cli = join(root, 'node_modules/prisma/build/index.js');
for (const schema of ['prisma/schema.prisma', 'prisma/generated/postgres.prisma']) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
