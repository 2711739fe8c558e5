/**
 * The worker thread that builds snapshots, so reading, relabeling, rendering and compressing a large body
 * never stall the event loop that answers scrapes. It keeps its SnapshotBuilder (the series cache, the last
 * body and snapshot) between cycles. The body comes in as a transferred buffer; the snapshot's bytes are
 * shared memory, so they go out without a copy and stay readable here for the next cycle's comparisons.
 */
import { parentPort } from 'node:worker_threads';
import { compileRelabelConfigs } from '../relabel/index.js';
import { SnapshotBuilder, type BuildOptions } from './build.js';

export type WorkerRequest =
  | { type: 'configure'; rules: unknown; options: BuildOptions }
  | { type: 'build'; id: number; body: Uint8Array; contentType: string | undefined; fetchedAtMs: number };

let builder: SnapshotBuilder | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'configure') {
    // The rules were checked when the config loaded (config/targets.ts), from the same value: this cannot fail.
    builder = new SnapshotBuilder(compileRelabelConfigs(msg.rules), msg.options);
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
    parentPort!.postMessage({
      id: msg.id,
      result: {
        ...result,
        dropped: [...result.dropped],
        snapshot: { fetchedAtMs: snapshot.fetchedAtMs, seriesScraped: snapshot.seriesScraped, seriesServed: snapshot.seriesServed, text: snapshot.text, gzip: snapshot.gzip, blocks: snapshot.blocks },
      },
    });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
