// `npm start`: compile if the sources changed, then run the compiled bot in this process.
import { ensureBuilt } from './build.mjs';

ensureBuilt();
await import('../dist/src/main.js');
