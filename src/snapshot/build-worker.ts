/**
 * The worker thread that builds snapshots, so parsing, relabeling, rendering and compressing a large body
 * never stall the event loop that answers scrapes. It keeps its SnapshotBuilder (relabel cache, replay
 * plan) between cycles; the body comes in and the rendered bytes go out as transferred buffers. After a
 * cold cycle that made a plan it hands the plan back with the result and starts over without one: the
 * client moves the plan into a fresh thread, so the heap the cold cycle grew goes back to the system.
 */
import { parentPort } from 'node:worker_threads';
import { compileRelabelConfigs } from '../relabel/index.js';
import { SnapshotBuilder, type BuildOptions } from './build.js';
import { planTransfer, revivePlan, type ReplayPlan } from './replay-plan.js';

export type WorkerRequest =
  | { type: 'configure'; rules: unknown; options: BuildOptions; plan?: ReplayPlan }
  | { type: 'build'; id: number; body: Uint8Array; contentType: string | undefined; fetchedAtMs: number };

let builder: SnapshotBuilder | undefined;
let configured: Extract<WorkerRequest, { type: 'configure' }> | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'configure') {
    // The rules were validated in the main thread from the same value: this cannot fail.
    configured = msg;
    builder = new SnapshotBuilder(compileRelabelConfigs(msg.rules), msg.options, msg.plan && revivePlan(msg.plan));
    return;
  }
  try {
    const body = Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
    const result = builder!.build(body, msg.contentType, msg.fetchedAtMs);
    if (!result.ok) {
      parentPort!.postMessage({ id: msg.id, result });
      return;
    }
    const { snapshot } = result;
    const plan = result.warm ? undefined : builder!.replayPlan;
    // Its buffers move out with the plan: this builder starts over (cold next time, should no new thread come).
    if (plan) builder = new SnapshotBuilder(compileRelabelConfigs(configured!.rules), configured!.options);
    // Only buffers that own their whole memory move; small ones live in Node's shared pool and are copied.
    const transfer = [snapshot.text, snapshot.gzip].filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
    if (plan) transfer.push(...planTransfer(plan));
    parentPort!.postMessage(
      {
        id: msg.id,
        result: {
          ok: true,
          warm: result.warm,
          dropped: [...result.dropped],
          droppedByRule: result.droppedByRule,
          cardinality: result.cardinality,
          invalidLines: result.invalidLines,
          snapshot: { fetchedAtMs: snapshot.fetchedAtMs, seriesScraped: snapshot.seriesScraped, seriesServed: snapshot.seriesServed, text: snapshot.text, gzip: snapshot.gzip, blocks: snapshot.blocks },
        },
        plan,
      },
      transfer,
    );
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
