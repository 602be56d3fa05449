// The usual alternative: the Lark SDK's own EventDispatcher behind its adaptDefault on node:http,
// with the same encrypt key and token (what most Lark bots run). The handler does nothing, so this
// measures the SDK's signature check, decryption and dispatch.
import { createServer } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';

const dispatcher = new lark.EventDispatcher({
  encryptKey: process.env.BENCH_KEY!,
  verificationToken: process.env.BENCH_TOKEN!,
  loggerLevel: lark.LoggerLevel.error,
}).register({
  'im.message.receive_v1': async () => undefined,
});
const server = createServer(lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true }));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address() as { port: number };
  console.log(`ready http://127.0.0.1:${a.port}`);
});
