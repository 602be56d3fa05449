// Files and directories holding personal data are readable by the bot's user only (0700/0600),
// whatever the umask: created with those modes, and tightened at start if they already exist.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

export const OWNER_ONLY_DIR = 0o700;
export const OWNER_ONLY_FILE = 0o600;

/**
 * Creates the directory (and parents) 0700, and makes it 0700 if it was there already. false when
 * it belongs to another user and cannot be tightened (the caller says so; the bot still runs).
 */
export function ownerOnlyDir(path: string): boolean {
  mkdirSync(path, { recursive: true, mode: OWNER_ONLY_DIR });
  try {
    chmodSync(path, OWNER_ONLY_DIR);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
}

/** Creates an empty file 0600 if absent (SQLite opens an empty file as a new database), else makes it 0600. */
export function ownerOnlyFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', OWNER_ONLY_FILE));
  chmodSync(path, OWNER_ONLY_FILE);
  // SQLite gives its -wal and -shm files the database file's permissions; older ones are tightened too.
  for (const extra of [`${path}-wal`, `${path}-shm`, `${path}-journal`]) if (existsSync(extra)) chmodSync(extra, OWNER_ONLY_FILE);
}
