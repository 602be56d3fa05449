// Files kept only while something refers to them: a stored file no upload refers to (a programme
// file or studio list once read, a file whose sender had no use for it) is removed after a day,
// and a download that never finished after an hour.
import type { Database } from '../db/database.js';
import type { FileStore } from './store.js';

export const UNREFERENCED_FILE_TTL_MS = 24 * 3600_000;
export const INCOMING_FILE_TTL_MS = 3600_000;

export async function sweepFiles(db: Database, store: FileStore, now = new Date()): Promise<{ removed: number; kept: number }> {
  let removed = 0;
  let kept = 0;
  for await (const f of store.list()) {
    const age = now.getTime() - f.storedAt.getTime();
    if ('incoming' in f) {
      if (age > INCOMING_FILE_TTL_MS) {
        await store.remove(f.incoming);
        removed++;
      }
      continue;
    }
    if (age > UNREFERENCED_FILE_TTL_MS && (await db.client.upload.count({ where: { sha256: f.sha256 } })) === 0) {
      await store.remove(f.sha256);
      removed++;
    } else kept++;
  }
  return { removed, kept };
}
