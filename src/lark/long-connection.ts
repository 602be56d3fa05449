// Long-connection mode (LARK_MODE=ws): for servers without a public URL, the SDK's WSClient opens
// an outbound WebSocket to Lark and receives events and card callbacks over it. What arrives is
// turned into the same transport-neutral envelope the HTTP receiver produces and goes to the same
// handlers (inbox for events, the synchronous path for callbacks, whose answer goes back over the
// socket). Lark authenticates the connection itself, so there is no signature to check here.

import type { Logger } from '../log.js';
import { HANDLED_EVENTS } from './events.js';
import { CARD_ACTION, type LarkEnvelope } from './push.js';
import type { ReceiverHandlers } from './receiver.js';
import { lark, type Sdk } from './sdk.js';

const HEADER_KEYS = new Set(['schema', 'event_id', 'event_type', 'create_time', 'app_id', 'tenant_key']);

/**
 * The SDK's dispatcher flattens header and event into one object (the event's own fields win, so
 * a callback's `token` is the card's token): put the envelope back together.
 */
export function envelopeFromDispatched(data: Record<string, unknown>): LarkEnvelope {
  const event = Object.fromEntries(Object.entries(data).filter(([k]) => !HEADER_KEYS.has(k)));
  return {
    eventId: String(data.event_id ?? ''),
    eventType: String(data.event_type ?? ''),
    createdAt: Number(data.create_time ?? Date.now()),
    ...(typeof data.app_id === 'string' ? { appId: data.app_id } : {}),
    ...(typeof data.tenant_key === 'string' ? { tenantKey: data.tenant_key } : {}),
    event,
  };
}

export function longConnectionDispatcher(handlers: ReceiverHandlers, log: Logger): Sdk.EventDispatcher {
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn });
  const onEvent = async (data: Record<string, unknown>) => {
    const envelope = envelopeFromDispatched(data);
    // A failure here makes the SDK answer 500, and Lark delivers the event again; a refused body
    // (checked as for HTTP) is acknowledged and dropped, since delivering it again changes nothing.
    const outcome = await handlers.onEvent(envelope);
    log.debug({ eventId: envelope.eventId, eventType: envelope.eventType, outcome }, 'event received over the long connection');
  };
  dispatcher.register(Object.fromEntries(HANDLED_EVENTS.map((type) => [type, onEvent])) as Record<string, (data: unknown) => Promise<void>>);
  dispatcher.register({ [CARD_ACTION]: async (data: unknown) => handlers.onCallback(envelopeFromDispatched(data as Record<string, unknown>)) } as Record<
    string,
    (data: unknown) => Promise<unknown>
  >);
  return dispatcher;
}

export function startLongConnection(
  creds: { appId: string; appSecret: string; domain: string },
  dispatcher: Sdk.EventDispatcher,
  log: Logger,
): { close(): void } {
  const client = new lark.WSClient({
    appId: creds.appId,
    appSecret: creds.appSecret,
    domain: creds.domain,
    loggerLevel: lark.LoggerLevel.warn,
    onReady: () => log.info('long connection to Lark open'),
    onError: (error: unknown) => log.error({ err: error }, 'long connection to Lark failed'),
  } as ConstructorParameters<typeof Sdk.WSClient>[0]);
  void client.start({ eventDispatcher: dispatcher });
  return { close: () => client.close() };
}
