// The loop shared by the inbox and outbox workers: claim due rows, run them with bounded
// concurrency (rows with the same key strictly in order), sleep until notified or polled.
import type { Logger } from '../log.js';
import type { Claimed, LeaseQueue, QueueRow } from './lease-queue.js';

export interface WorkerOptions {
  name: string;
  concurrency: number;
  /** How often to look for work nobody told us about (other instances, retries coming due). */
  pollMs: number;
  log: Logger;
  /**
   * While this returns true the worker takes one row at a time with `yieldGapMs` between claims,
   * leaving the event loop to more urgent work (acknowledging a flood of pushes).
   */
  yieldWhile?: () => boolean;
  yieldGapMs?: number;
}

export class QueueWorker<Row extends QueueRow> {
  #running = false;
  #stopping = false;
  #loopDone: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  #wakeFromPause: (() => void) | undefined;
  #dirty = false;
  #inFlight = 0;
  readonly #active = new Set<Promise<void>>();
  /** Rows waiting behind another row with the same key. */
  readonly #waiting = new Map<string, Claimed<Row>[]>();

  constructor(
    private readonly queue: LeaseQueue<Row>,
    private readonly process: (row: Claimed<Row>) => Promise<void>,
    private readonly opts: WorkerOptions,
    private readonly keyOf: (row: Row) => string | null = () => null,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    this.#loopDone = this.#loop();
  }

  /** Something was just enqueued: look now instead of at the next poll. */
  notify(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Stops claiming, hands back rows not yet started, and waits for the ones running. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#stopping = true;
    this.#wake?.();
    this.#wakeFromPause?.();
    await this.#loopDone;
    const unstarted = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    await Promise.allSettled(unstarted.map((r) => this.queue.release(r)));
    this.#inFlight -= unstarted.length;
    await Promise.allSettled([...this.#active]);
    this.#running = false;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#dirty = false;
      const yielding = this.opts.yieldWhile?.() === true;
      const free = (yielding ? 1 : this.opts.concurrency) - this.#inFlight;
      let claimed = 0;
      if (free > 0) {
        try {
          const rows = await this.queue.claim(free);
          claimed = rows.length;
          for (const row of rows) this.#dispatch(row);
        } catch (error) {
          this.opts.log.error({ err: error, worker: this.opts.name }, 'claiming work failed');
        }
      }
      if (this.#stopping) break;
      if (yielding) {
        await this.#pause(this.opts.yieldGapMs ?? 100); // notifications do not cut this short
        continue;
      }
      if (free > 0 && claimed === free) continue; // a full batch: there may be more
      if (!this.#dirty) await this.#sleep(this.opts.pollMs);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.#wakeFromPause = undefined));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #dispatch(row: Claimed<Row>): void {
    this.#inFlight++;
    const key = this.keyOf(row);
    if (key !== null) {
      const queue = this.#waiting.get(key);
      if (queue) {
        queue.push(row);
        return;
      }
      this.#waiting.set(key, []);
    }
    this.#run(row, key);
  }

  #run(row: Claimed<Row>, key: string | null): void {
    const task = this.process(row)
      .catch((error: unknown) => this.opts.log.error({ err: error, worker: this.opts.name, id: row.id }, 'work item crashed'))
      .finally(() => {
        this.#active.delete(task);
        this.#inFlight--;
        if (key !== null) {
          const next = this.#waiting.get(key)?.shift();
          if (next) this.#run(next, key);
          else this.#waiting.delete(key);
        }
        this.notify();
      });
    this.#active.add(task);
  }
}
