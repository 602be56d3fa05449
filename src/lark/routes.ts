// The HTTP receiver: raw bytes in, a verified envelope handed on, a fast answer out.
// Both routes accept both kinds of traffic, so one URL can serve events and callbacks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../log.js';
import { type PushSecrets, parsePush } from './push.js';
import type { ReceiverHandlers } from './receiver.js';
import { PushRejected } from './verify.js';

export const LARK_ROUTES = ['/lark/events', '/lark/callbacks'] as const;

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function larkReceiver(
  app: FastifyInstance,
  opts: { secrets: PushSecrets; handlers: ReceiverHandlers; bodyLimit: number; log: Logger },
): Promise<void> {
  // The signature covers the exact bytes Lark sent, so the body must reach us unparsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));
  // These routes log through opts.log. A child logger per push (Fastify's default, with the
  // bindings scrubbed for personal data) was 4 % of acknowledging a flood of pushes.
  app.setChildLoggerFactory((logger) => logger);

  async function receive(req: FastifyRequest, reply: FastifyReply) {
    const raw = req.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return reply.code(400).send({ error: 'empty body' });
    let push: ReturnType<typeof parsePush>;
    try {
      push = parsePush(
        raw,
        {
          timestamp: header(req, 'x-lark-request-timestamp'),
          nonce: header(req, 'x-lark-request-nonce'),
          signature: header(req, 'x-lark-signature'),
        },
        opts.secrets,
      );
    } catch (error) {
      if (!(error instanceof PushRejected)) throw error;
      opts.log.warn({ route: req.url, ip: req.ip, reason: error.reason, status: error.status }, 'rejected a push');
      return reply.code(error.status).send({ error: error.reason });
    }
    switch (push.kind) {
      case 'challenge':
        return reply.send({ challenge: push.challenge });
      case 'event': {
        // A body the bot refuses is answered 400 and nothing is stored; types it does not handle are acknowledged.
        const outcome = await opts.handlers.onEvent(push.envelope);
        if (typeof outcome === 'object') return reply.code(400).send({ error: 'event body does not match its type' });
        return reply.send({});
      }
      case 'callback':
        return reply.send(await opts.handlers.onCallback(push.envelope));
    }
  }

  for (const url of LARK_ROUTES) app.post(url, receive);
}
