// The main thread's side of the 申报表 worker (form-worker.ts): one worker per export job, with
// heap limits of its own, fed page by page; the documents come back in the order sent. A worker
// that fails (an error in a document, out of memory, exited) fails every wait, now and after.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Campaign } from '../campaigns/schema.js';
import type { FormDocumentInput } from './application-form.js';

/** What the worker sends back: a document's bytes, the end of a page, or why it could not go on. */
export type FormWorkerReply = { kind: 'document'; bytes: ArrayBuffer } | { kind: 'page' } | { kind: 'failed'; message: string };

/**
 * The worker's heap. A document costs ~36 ms under the bot's 4 MB semi-space
 * (`--max-semi-space-size=4`), ~24 ms with a young generation of 24 MB (8 MB semi-spaces), ~18 ms
 * with 48 MB; the worker's fixed cost (a Node environment and the document library) is ~40 MB of
 * RSS. 16 MB was as fast as 24 here (2,000 documents in 39–40 s against 42–47 s, on a host less
 * busy) with 5–10 MB less peak RSS: a 2,000-document export stays near 250 MB with the bot around it.
 */
export const FORM_WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 48 };

/** A V8 heap flag's value on the command line (or NODE_OPTIONS); 0 is V8's "not set". */
function heapFlag(name: string): number {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  let value = 0;
  for (const a of args) {
    const m = /^--([a-z_-]+)=(\d+)$/.exec(a);
    if (m && m[1]!.replace(/_/g, '-') === name) value = Number(m[2]);
  }
  return value;
}

/**
 * Starts a worker whose heap follows `resourceLimits`. V8 gives its heap flags precedence over an
 * isolate's own limits, so the bot's `--max-semi-space-size=4 --max-old-space-size=160` would
 * hold the worker too: they are unset while its heap is made and restored once it runs (the main
 * thread's heap was sized when it started and does not read them again).
 */
function startWorker(options: WorkerOptions): Worker {
  const flags = ['max-semi-space-size', 'max-old-space-size'].map((name) => ({ name, value: heapFlag(name) })).filter((f) => f.value > 0);
  for (const f of flags) setFlagsFromString(`--${f.name}=0`);
  let worker: Worker;
  try {
    if (import.meta.url.endsWith('.ts')) {
      // From the sources (tsx, vitest): the worker registers tsx before it loads the TypeScript.
      const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')));
      const entry = new URL('./form-worker.ts', import.meta.url);
      const boot = `import(${JSON.stringify(tsx.href)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
      worker = new Worker(boot, { ...options, eval: true });
    } else worker = new Worker(new URL('./form-worker.js', import.meta.url), options);
  } catch (error) {
    for (const f of flags) setFlagsFromString(`--${f.name}=${f.value}`);
    throw error;
  }
  const restore = () => {
    for (const f of flags) setFlagsFromString(`--${f.name}=${f.value}`);
  };
  worker.once('online', restore);
  worker.once('exit', restore);
  return worker;
}

export interface FormDocuments {
  /** Hands a page to the worker (it starts on it once the pages before are done). */
  send(forms: FormDocumentInput[]): void;
  /** The next document, in the order sent. */
  next(): Promise<Buffer>;
  /** Stops the worker (also when it failed). */
  close(): Promise<void>;
}

export function startFormDocuments(c: Campaign): FormDocuments {
  const worker = startWorker({ workerData: { campaign: c }, resourceLimits: FORM_WORKER_LIMITS });
  const ready: Buffer[] = [];
  const waiting: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  let expected = 0;
  let closed = false;
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on('message', (m: FormWorkerReply) => {
    if (m.kind === 'failed') return fail(new Error(`申报表 worker: ${m.message}`));
    if (m.kind !== 'document') return;
    const bytes = Buffer.from(m.bytes);
    const w = waiting.shift();
    if (w) w.resolve(bytes);
    else ready.push(bytes);
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`申报表 worker exited (code ${code})`));
  });
  return {
    send(forms) {
      expected += forms.length;
      worker.postMessage(forms);
    },
    next() {
      const b = ready.shift();
      if (b) {
        expected--;
        return Promise.resolve(b);
      }
      if (failure) return Promise.reject(failure);
      if (expected <= 0) return Promise.reject(new Error('no 申报表 was asked of the worker'));
      expected--;
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
