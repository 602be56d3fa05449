// The ceiling: a bare Fastify route answering {} — the fastest any webhook can be on this machine.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/lark/events', async () => ({}));
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`ready ${address}`);
