// The one contract between the transports (HTTP pushes, the long connection) and the bot, and the
// check every incoming event passes whichever way it came: a body that does not fit its type, or
// nests absurdly deep, is refused before anything is stored.

import type { Logger } from '../log.js';
import type { CallbackAnswer } from '../reply.js';
import { eventBodyProblem } from './events.js';
import type { LarkEnvelope } from './push.js';
import { MAX_JSON_DEPTH } from './push.js';

export type EventOutcome = 'stored' | 'duplicate' | 'ignored' | { refused: string };

export interface ReceiverHandlers {
  /** Checks the event, then stores it durably before resolving (the 200 tells Lark not to resend). */
  onEvent(envelope: LarkEnvelope): Promise<EventOutcome>;
  /** Answers a card callback; Lark shows an error if this takes more than 3 s. */
  onCallback(envelope: LarkEnvelope): Promise<CallbackAnswer>;
}

/** How deeply a parsed value nests (iteratively: a hostile value must not overflow the stack here). */
export function valueDepth(value: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > stopAbove) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth]);
  }
  return deepest;
}

/** 'ignored' for types the bot does not handle, a reason for a body it refuses, undefined when fine. */
export function eventProblem(envelope: LarkEnvelope): string | 'ignored' | undefined {
  if (valueDepth(envelope.event, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return `event nests deeper than ${MAX_JSON_DEPTH} levels`;
  return eventBodyProblem(envelope.eventType, envelope.event);
}

/** A callback's body nests absurdly deep: refused before it reaches the bot. */
export const callbackProblem = (envelope: LarkEnvelope): string | undefined =>
  valueDepth(envelope.event, MAX_JSON_DEPTH) > MAX_JSON_DEPTH ? `callback nests deeper than ${MAX_JSON_DEPTH} levels` : undefined;

/**
 * The handlers both transports are given: every event and callback passes the checks above first,
 * however it arrived; only what passes reaches `inner`. A refused callback is answered `refused`.
 */
export function checkedHandlers(inner: ReceiverHandlers, log: Logger, refused: CallbackAnswer): ReceiverHandlers {
  return {
    async onEvent(envelope) {
      // Whole bodies at trace, for diagnosis; the logger masks ID and phone numbers in them.
      log.trace({ event: envelope }, 'event received');
      const problem = eventProblem(envelope);
      if (problem === 'ignored') return 'ignored';
      if (problem) {
        log.warn({ eventId: envelope.eventId, eventType: envelope.eventType, problem }, 'refused an event whose body does not fit its type');
        return { refused: problem };
      }
      return inner.onEvent(envelope);
    },
    async onCallback(envelope) {
      log.trace({ callback: envelope }, 'card callback received');
      const problem = callbackProblem(envelope);
      if (problem) {
        log.warn({ eventId: envelope.eventId, problem }, 'refused a card callback');
        return refused;
      }
      return inner.onCallback(envelope);
    },
  };
}
