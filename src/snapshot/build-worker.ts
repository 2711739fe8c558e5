/**
 * The worker thread that builds snapshots, so parsing, relabeling, rendering and compressing a large body
 * never stall the event loop that answers scrapes. It keeps its SnapshotBuilder (relabel cache, replay
 * plan) between cycles; the body comes in and the rendered bytes go out as transferred buffers.
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
    // The rules were validated in the main thread from the same value: this cannot fail.
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
    // Only buffers that own their whole memory move; small ones live in Node's shared pool and are copied.
    const transfer = [snapshot.text, snapshot.gzip].filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
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
      },
      transfer,
    );
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
