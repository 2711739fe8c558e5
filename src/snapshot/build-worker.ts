/**
 * The worker thread that builds snapshots, so reading, relabeling, rendering and compressing a large body
 * never stall the event loop that answers scrapes. It keeps its SnapshotBuilder (the series cache, the last
 * body and snapshot) between cycles. The body comes in as a transferred buffer, and a body the builder no
 * longer points into goes back the same way; the snapshot's bytes are shared memory, so they go out without a
 * copy and stay readable here for the next cycle's comparisons.
 */
import { parentPort } from 'node:worker_threads';
import { compileRelabelConfigs } from '../relabel/index.js';
import { NOTHING_TO_REPEAT, SnapshotBuilder, type BuildOptions } from './build.js';

export type WorkerRequest =
  | { type: 'configure'; rules: unknown; options: BuildOptions }
  | { type: 'build'; id: number; body: Uint8Array; contentType: string | undefined; fetchedAtMs: number }
  /** The last good body again, fetched at `fetchedAtMs` (SnapshotBuilder.repeat). */
  | { type: 'repeat'; id: number; fetchedAtMs: number };

let builder: SnapshotBuilder | undefined;

/** A smaller body is not worth handing back: fresh memory of that size is cheap. */
const MIN_SPARE_BYTES = 1024 * 1024;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'configure') {
    // The rules were checked when the config loaded (config/targets.ts), from the same value: this cannot fail.
    builder = new SnapshotBuilder(compileRelabelConfigs(msg.rules), msg.options);
    return;
  }
  try {
    const result =
      msg.type === 'repeat'
        ? (builder!.repeat(msg.fetchedAtMs) ?? NOTHING_TO_REPEAT)
        : builder!.build(
            Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength),
            msg.contentType,
            msg.fetchedAtMs,
          );
    // A body the builder let go moves back, for the next body to be read into (no fresh memory each cycle).
    const free = builder!.takeReleased()?.buffer;
    const spare = free instanceof ArrayBuffer && free.byteLength >= MIN_SPARE_BYTES ? free : undefined;
    const transfer = spare ? [spare] : [];
    if (!result.ok) {
      parentPort!.postMessage({ id: msg.id, result, spare }, transfer);
      return;
    }
    const { snapshot } = result;
    const wire = {
      ...result,
      dropped: [...result.dropped],
      snapshot: {
        fetchedAtMs: snapshot.fetchedAtMs,
        stamped: snapshot.stamped,
        stampedAtMs: snapshot.stampedAtMs,
        seriesScraped: snapshot.seriesScraped,
        seriesServed: snapshot.seriesServed,
        text: snapshot.text,
        gzip: snapshot.gzip,
        blocks: snapshot.blocks,
      },
    };
    parentPort!.postMessage({ id: msg.id, result: wire, spare }, transfer);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: `it failed (${err instanceof Error ? err.message : String(err)})` });
  }
});
