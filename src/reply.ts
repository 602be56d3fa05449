// What every use case answers with: a card (replacing the clicked one, or sent as the reply) and/or
// a toast. One vocabulary for the whole bot.
import type { Card } from '../cards/components.js';

export interface Toast {
  type: 'success' | 'info' | 'warning' | 'error';
  content: string;
}

export interface Reply {
  card?: Card;
  toast?: Toast;
  /** Work to start once the transaction has committed (an export to generate, programmes to reload). */
  after?: () => Promise<unknown>;
}

/** A reply that always carries a card (the application journey answers every step with one). */
export type CardReply = Reply & { card: Card };

export const toast = (type: Toast['type'], content: string): Reply => ({ toast: { type, content } });

/** What a card callback answers within Lark's 3 s: a toast and/or a card replacing the clicked one. */
export interface CallbackAnswer {
  toast?: Toast;
  card?: { type: 'raw'; data: Card };
}

/** A feature's reply (card and/or toast) as the callback's answer. */
export const callbackAnswer = (r: Reply): CallbackAnswer => ({
  ...(r.card ? { card: { type: 'raw' as const, data: r.card } } : {}),
  ...(r.toast ? { toast: r.toast } : {}),
});
