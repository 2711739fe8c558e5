// The hot path in a process of its own, cycle after cycle with no interval between them: fetch the
// upstream (gzip when it offers it), hand the body to the snapshot builder's worker thread, keep the
// snapshot in a store as the bridge does. The parent (steady.mjs) reads this process's CPU and memory from
// /proc at the points it reports over IPC; this process samples its own event-loop delay (what a scrape
// arriving during a cycle would wait). Unlike the rest of the benchmark this reaches into dist/snapshot/, so
// when the engine there changes shape it reports {at: 'unavailable'} and the section is skipped, not failed.
//   UPSTREAM_URL=… CYCLES=100 node bench/builder-process.mjs   (forked by steady.mjs)
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TEN_RULES } from './payload.mjs';

const url = process.env.UPSTREAM_URL;
const cycles = Number(process.env.CYCLES ?? 100);
const options = { limits: { sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }, maxInvalidLineRatio: 0.01, helpSuffix: '(cached from Baseten by baseten-metrics-bridge)' };

async function report(msg) {
  process.send(msg);
  await once(process, 'message');
}

let builder;
let store;
try {
  const { BuilderClient, SnapshotStore } = await import('../dist/snapshot/index.js');
  builder = new BuilderClient(TEN_RULES, options);
  store = new SnapshotStore(() => Infinity);
} catch (err) {
  await report({ at: 'unavailable', message: `dist/snapshot/ has no BuilderClient and SnapshotStore of the shape this harness knows (${err.message})` });
  process.exit(0);
}
/** Cycles after the first that had new series to parse (the cache missed). */
let rebuilt = 0;

async function cycle(expectWarm) {
  const res = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  const body = Buffer.from(await res.arrayBuffer());
  const result = await builder.build(body, res.headers.get('content-type') ?? undefined, Date.now());
  if (!result.ok) throw new Error(`cycle failed: ${result.reason} ${result.message}`);
  if (expectWarm && result.newSeries > 0) rebuilt++;
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
await report({ at: 'done', bytes: store.last().text.length, rebuilt });
process.exit(0);
