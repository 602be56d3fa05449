// What every use case answers with: a card (replacing the clicked one, or sent as the reply) and/or
// a toast. One vocabulary for the whole bot.
import type { Card } from '../../cards/components.js';

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

export const toast = (type: Toast['type'], content: string): Reply => ({ toast: { type, content } });
