/**
 * Runs the SnapshotBuilder in a worker thread (build-worker.ts) so the event loop keeps answering scrapes
 * while a large cycle is built. Where the compiled worker file does not exist (the TypeScript sources run
 * under the test runner), it builds in-process instead: same code, same results.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileRelabelConfigs } from '../relabel/index.js';
import type { DropReason } from './reasons.js';
import { NOTHING_TO_REPEAT, SnapshotBuilder, type BuildOptions, type BuildResult, type BuildSuccess } from './build.js';
import type { WorkerRequest } from './build-worker.js';
import type { Snapshot } from './snapshot.js';

const WORKER_FILE = fileURLToPath(new URL('./build-worker.js', import.meta.url));

type WorkerReply = { id: number; result?: WireResult; error?: string; spare?: ArrayBuffer };
type WireResult =
  | (Omit<BuildSuccess, 'dropped' | 'snapshot'> & {
      dropped: Array<[DropReason, number]>;
      snapshot: Omit<Snapshot, 'text' | 'gzip'> & { text: Uint8Array; gzip: Uint8Array };
    })
  | Extract<BuildResult, { ok: false }>;

/**
 * Memory a Buffer has to itself, which can move between threads and be reused: not shared memory, and not
 * Node's pool (a small Buffer lives in one Buffer.poolSize buffer with others).
 */
function ownMemory(memory: ArrayBufferLike): memory is ArrayBuffer {
  return memory instanceof ArrayBuffer && memory.byteLength > Buffer.poolSize;
}

export class BuilderClient {
  private inProcess: SnapshotBuilder | undefined;
  private worker: Worker | undefined;
  private rules: unknown;
  private options: BuildOptions;
  private nextId = 0;
  private readonly pending = new Map<number, (reply: WorkerReply) => void>();
  /** A body the builder let go (see takeSpare). */
  private spare: Buffer | undefined;
  private builders = 0;

  /** `rules`: metric_relabel_configs as written (already checked); the builder compiles them, in its thread. */
  constructor(rules: unknown, options: BuildOptions, useWorker = existsSync(WORKER_FILE)) {
    this.rules = rules;
    this.options = options;
    if (useWorker) this.startWorker();
    else this.inProcess = new SnapshotBuilder(compileRelabelConfigs(rules), options);
  }

  /** A new config: what the builder learned (the series cache) starts over. */
  configure(rules: unknown, options: BuildOptions): void {
    this.rules = rules;
    this.options = options;
    this.builders++;
    if (this.inProcess) this.inProcess = new SnapshotBuilder(compileRelabelConfigs(rules), options);
    else this.post({ type: 'configure', rules, options });
  }

  /**
   * A buffer of a body the builder let go, whole, or undefined: nothing points into it, so the next body may
   * be read into it (UpstreamClient.reuse). Handed out once.
   */
  takeSpare(): Buffer | undefined {
    const spare = this.spare;
    this.spare = undefined;
    return spare;
  }

  /**
   * Counts the builders this client has had: a new one (a new config, a thread that exited and was replaced)
   * knows no last body, so a caller that keeps "the last body" (targets/bridge.ts) must forget it.
   */
  get generation(): number {
    return this.builders;
  }

  async build(body: Buffer, contentType: string | undefined, fetchedAtMs: number): Promise<BuildResult> {
    if (this.inProcess) {
      const result = this.inProcess.build(body, contentType, fetchedAtMs);
      this.keepSpare(this.inProcess.takeReleased()?.buffer);
      return result;
    }
    // The body's memory moves to the thread rather than being copied (shared memory needs no moving).
    return this.ask(
      (id) => ({ type: 'build', id, body, contentType, fetchedAtMs }),
      ownMemory(body.buffer) ? [body.buffer] : [],
    );
  }

  /** The last good body's result again, fetched at `fetchedAtMs` (SnapshotBuilder.repeat): nothing is read. */
  async repeat(fetchedAtMs: number): Promise<BuildResult> {
    if (this.inProcess) return this.inProcess.repeat(fetchedAtMs) ?? NOTHING_TO_REPEAT;
    return this.ask((id) => ({ type: 'repeat', id, fetchedAtMs }), []);
  }

  private async ask(request: (id: number) => WorkerRequest, transfer: ArrayBuffer[]): Promise<BuildResult> {
    // Closed (the bridge is stopping) while a fetch was still in flight: nothing is built.
    if (this.worker === undefined)
      return {
        ok: false,
        reason: 'parse',
        message: 'snapshot builder stopped (the bridge is stopping)',
        invalidLines: [],
      };
    const id = this.nextId++;
    // The thread keeps the process alive only while it builds (so `once` waits for it, and exit is not held).
    this.worker.ref();
    const reply = await new Promise<WorkerReply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker!.postMessage(request(id), transfer);
    });
    this.keepSpare(reply.spare);
    if (reply.error !== undefined || !reply.result) {
      // Not Baseten's body being unreadable: the builder itself failed (its thread exited, or a bug threw).
      const message =
        `snapshot builder: ${reply.error ?? 'no result'}; a new builder thread ` +
        `has started and the last good data stays served`;
      return { ok: false, reason: 'builder_failed', message, invalidLines: [] };
    }
    const wire = reply.result;
    if (!wire.ok) return wire;
    const s = wire.snapshot;
    const toBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    const snapshot: Snapshot = Object.freeze({ ...s, text: toBuffer(s.text), gzip: toBuffer(s.gzip) });
    return { ...wire, dropped: new Map(wire.dropped), snapshot };
  }

  private keepSpare(memory: ArrayBufferLike | undefined): void {
    if (memory !== undefined && ownMemory(memory)) this.spare = Buffer.from(memory);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private startWorker(): void {
    this.builders++;
    // A larger young generation: a cycle of many new series allocates many short-lived strings.
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
    });
    // A worker that dies (out of memory, a bug) fails the cycles it held and is replaced.
    let died: string | undefined;
    worker.on('error', (err: Error & { code?: string }) => {
      died = err.code ?? err.message;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      const why = `its thread exited (${died ?? `exit code ${code}`}) while building`;
      for (const [id, resolve] of this.pending) resolve({ id, error: why });
      this.pending.clear();
      this.startWorker();
    });
    this.worker = worker;
    this.post({ type: 'configure', rules: this.rules, options: this.options });
  }

  private post(msg: WorkerRequest): void {
    this.worker?.postMessage(msg);
  }
}
