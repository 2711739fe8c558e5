// The hot path in a process of its own, cycle after cycle with no interval between them, as a target of the
// bridge runs it (src/targets/bridge.ts): the bridge's upstream client fetches with gzip (a body whose
// compressed bytes repeat the last accepted one is not decompressed, and that cycle's snapshot is kept), the
// snapshot builder's worker thread builds, the body memory it lets go is handed back to the client for the
// next body, and the snapshot goes into a store. The parent (steady.mjs) reads this process's CPU and memory
// from /proc at the points it reports over IPC; this process samples its own event-loop delay (what a scrape
// arriving during a cycle would wait). Unlike the rest of the benchmark this reaches into dist/, so when the
// engine there changes shape it reports {at: 'unavailable'} and the section is skipped, not failed.
//   UPSTREAM_URL=… CYCLES=100 node bench/builder-process.mjs   (forked by steady.mjs)
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateApiKey } from '../dist/demo/index.js';
import { BENCH_BUILD_OPTIONS, TEN_RULES } from './payload.mjs';

const url = process.env.UPSTREAM_URL;
const cycles = Number(process.env.CYCLES ?? 100);

async function report(msg) {
  process.send(msg);
  await once(process, 'message');
}

let builder;
let store;
let client;
try {
  const { BuilderClient, SnapshotStore } = await import('../dist/snapshot/index.js');
  const { UpstreamClient } = await import('../dist/upstream/index.js');
  builder = new BuilderClient(TEN_RULES, BENCH_BUILD_OPTIONS);
  store = new SnapshotStore(() => Infinity);
  client = new UpstreamClient({ url, timeoutMs: 60_000, bodySizeLimitBytes: 256 * 2 ** 20 });
  if (typeof builder.takeSpare !== 'function' || typeof client.reuse !== 'function')
    throw new Error('no BuilderClient.takeSpare or UpstreamClient.reuse');
} catch (err) {
  await report({
    at: 'unavailable',
    message:
      `dist/ has no BuilderClient, SnapshotStore and UpstreamClient of the ` +
      `shape this harness knows (${err.message})`,
  });
  process.exit(0);
}
/** Cycles after the first that had new series to parse (the cache missed), and bodies not decompressed. */
let rebuilt = 0;
let repeated = 0;
/** The bench upstream takes any key; a generated one, as the demo uses. */
const apiKey = generateApiKey();
/** The last body built, as received, and its snapshot (what bridge.ts keeps as `accepted`). */
let accepted;

async function cycle(expectWarm) {
  const fetched = await client.fetch(apiKey, undefined, accepted?.received);
  if (!fetched.ok) throw new Error(`fetch failed: ${fetched.reason} ${fetched.message}`);
  if (fetched.repeated && accepted !== undefined) {
    repeated++;
    store.swap(Object.freeze({ ...accepted.snapshot, fetchedAtMs: fetched.startedAtMs }));
    return;
  }
  const result = await builder.build(fetched.body, fetched.contentType, fetched.startedAtMs);
  const spare = builder.takeSpare();
  if (spare !== undefined) client.reuse(spare);
  if (!result.ok) throw new Error(`cycle failed: ${result.reason} ${result.message}`);
  if (expectWarm && result.newSeries > 0) rebuilt++;
  if (fetched.received !== undefined) accepted = { received: fetched.received, snapshot: result.snapshot };
  store.swap(result.snapshot);
}

const lag = monitorEventLoopDelay({ resolution: 10 });
const lagOf = (h) => ({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
await report({ at: 'start' });
lag.enable();
await cycle(false);
lag.disable();
const coldLag = lagOf(lag);
lag.reset();
await report({ at: 'cold', lag: coldLag });
lag.enable();
for (let i = 1; i <= cycles; i++) {
  await cycle(true);
  if (i === 1 || i % 10 === 0) {
    lag.disable();
    await report({ at: 'warm', cycle: i, lag: lagOf(lag) });
    lag.enable();
  }
}
await builder.close();
await report({ at: 'done', bytes: store.last().text.length, rebuilt, repeated });
process.exit(0);
