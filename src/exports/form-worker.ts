// The worker thread that makes 申报表 documents (started by form-documents.ts, one per export job):
// the programme comes with the worker's data, then pages of applications' plain data arrive as
// messages; each document's bytes go back one by one, in order (their memory transferred, not
// copied), then a mark that the page is done. It has no database and no files: the main thread
// reads the pages and writes the zip. Its own heap (a young generation large enough that the
// document library's garbage dies young) keeps the bot's small one and its event loop free.
import { parentPort, workerData } from 'node:worker_threads';
import type { Campaign } from '../campaigns/schema.js';
import { applicationFormDocx, type FormDocumentInput } from './application-form.js';
import type { FormWorkerReply } from './form-documents.js';

const port = parentPort!;
const campaign = (workerData as { campaign: Campaign }).campaign;
const reply = (message: FormWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** The bytes as an ArrayBuffer of their own, to transfer (a Buffer may be a view into a larger one). */
function ownBuffer(b: Buffer): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return copy;
}

// Pages are made one after another, in the order they came.
let queue = Promise.resolve();
port.on('message', (forms: FormDocumentInput[]) => {
  queue = queue.then(async () => {
    try {
      for (const form of forms) {
        const bytes = ownBuffer(await applicationFormDocx(campaign, form));
        reply({ kind: 'document', bytes }, [bytes]);
      }
      reply({ kind: 'page' });
    } catch (error) {
      reply({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});
