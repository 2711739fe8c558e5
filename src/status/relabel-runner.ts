/**
 * Runs relabel debugger requests off the event loop, bounded three ways:
 *   - at most `concurrency` at once, each in its own worker thread; more are refused (429), not queued, so
 *     a flood costs the bridge nothing but the refusals;
 *   - a time budget per request: past it the thread is terminated (the only way to stop a regex match in
 *     progress) and the request answered 503; so is a request whose client went away. The budget is wall
 *     time from when the request is handed to the thread (a new thread's start-up included): a thread
 *     cannot use more CPU than the time that passes, so it bounds CPU time too;
 *   - a heap limit per thread, so a request cannot grow the process's memory without bound.
 * Idle threads are kept for the next request and never keep the process alive. Where the compiled worker
 * does not exist (the TypeScript sources run under the test runner) requests run in-process, unbounded in
 * time: same code, same answers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { answerRelabel, type RelabelAnswer, type TraceContext } from './relabel-answer.js';
import type { RelabelJob, RelabelReply } from './relabel-worker.js';

const WORKER_FILE = fileURLToPath(new URL('./relabel-worker.js', import.meta.url));

export type RunOutcome = RelabelAnswer | { status: 429; error: string } | { status: 503; error: string };

export interface RunnerOptions {
  concurrency?: number;
  timeBudgetMs?: number;
  heapMb?: number;
  useWorker?: boolean;
}

export class RelabelRunner {
  private readonly idle: Worker[] = [];
  private busy = 0;
  private nextId = 0;
  readonly concurrency: number;
  readonly timeBudgetMs: number;
  private readonly heapMb: number;
  private readonly useWorker: boolean;

  constructor(opts: RunnerOptions = {}) {
    // One: with the builder thread and the event loop, that is a core each on a two-core machine.
    this.concurrency = opts.concurrency ?? 1;
    this.timeBudgetMs = opts.timeBudgetMs ?? 2_000;
    this.heapMb = opts.heapMb ?? 128;
    this.useWorker = opts.useWorker ?? existsSync(WORKER_FILE);
  }

  /** `gone`: aborted when the client disconnects, which stops the work. */
  async run(body: unknown, context: TraceContext, gone?: AbortSignal): Promise<RunOutcome> {
    if (this.busy >= this.concurrency) {
      return { status: 429, error: `relabel: ${this.concurrency} traces are already running; try again in a moment` };
    }
    this.busy++;
    try {
      if (!this.useWorker) return answerRelabel(body, context);
      return await this.inWorker(body, { rules: [...context.rules], identities: [...context.identities] }, gone);
    } finally {
      this.busy--;
    }
  }

  private inWorker(body: unknown, context: TraceContext, gone?: AbortSignal): Promise<RunOutcome> {
    const worker = this.idle.pop() ?? this.newWorker();
    worker.ref();
    const id = this.nextId++;
    return new Promise<RunOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: RunOutcome, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        gone?.removeEventListener('abort', onGone);
        if (keep) {
          worker.unref();
          this.idle.push(worker);
          resolve(outcome);
        } else {
          // The slot frees only once the thread has stopped using a core.
          void worker.terminate().finally(() => resolve(outcome));
        }
      };
      const onGone = () => finish({ status: 503, error: 'relabel: the client went away' }, false);
      const onMessage = (reply: RelabelReply) => {
        if (reply.id !== id) return;
        if ('error' in reply) finish({ status: 503, error: `relabel: the trace failed (${reply.error})` }, false);
        else finish(reply.answer, true);
      };
      const onError = (err: Error) => {
        const oom = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish(
          {
            status: 503,
            error: oom
              ? `relabel: the trace needed more than ${this.heapMb} MiB and was stopped (trace fewer series or rules)`
              : 'relabel: the trace failed',
          },
          false,
        );
      };
      const onExit = () => finish({ status: 503, error: 'relabel: the trace stopped' }, false);
      const timer = setTimeout(() => {
        finish(
          {
            status: 503,
            error:
              `relabel: the trace took more than its ${this.timeBudgetMs / 1000} s ` +
              `budget and was stopped (trace fewer series or rules, or simpler regexes)`,
          },
          false,
        );
      }, this.timeBudgetMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      gone?.addEventListener('abort', onGone);
      worker.postMessage({ id, body, context } satisfies RelabelJob);
    });
  }

  private newWorker(): Worker {
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    // A thread past its budget is being terminated when it may still report running out of memory; with no
    // listener left that report would be thrown and end the bridge. What a running request sees, onError reads.
    worker.on('error', () => {});
    return worker;
  }

  /** Ends every thread (a stopping bridge). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}
