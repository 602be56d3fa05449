// CLI: `PORT=9999 tsx src/emulator/main.ts` starts a standalone emulator for manual runs.
import { startLarkEmulator } from './server.js';

const port = Number(process.env.PORT ?? 9999);
const host = process.env.HOST ?? '127.0.0.1';
const emulator = await startLarkEmulator({ port, host });
console.log(`Lark emulator listening on ${emulator.url} (app cli_test / secret_test)`);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
