import { createHash, randomBytes } from 'node:crypto';

// Tenant key used when a test does not name one; emulator answers and events agree on it.
export const DEFAULT_TENANT_KEY = '736588c9260f175d';

export function randomHex(chars: number): string {
  return randomBytes(Math.ceil(chars / 2))
    .toString('hex')
    .slice(0, chars);
}

// Deterministic ids keep p2p chats and generated user ids stable across emulator restarts.
export function stableHex(seed: string, chars: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, chars);
}

export const newMessageId = (): string => `om_${randomHex(32)}`;
export const newChatId = (): string => `oc_${randomHex(32)}`;
export const newEventId = (): string => randomHex(32);
export const newCardToken = (): string => `c-${randomHex(40)}`;
