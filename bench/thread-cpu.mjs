// Where a bridge cycle's CPU goes, thread by thread: the built CLI against the moving bench upstream (as
// bench/cycle.mjs runs it, three rules, 10 s interval), with each thread's CPU read from
// /proc/<pid>/task/<tid>/stat at every request the upstream receives. A diagnostic, not part of `npm run bench`:
// it explains the cycle figures of bench/RESULTS.md (the gap notes cite it), it does not compare with a peer.
// node bench/thread-cpu.mjs (DEPLOYMENTS=590, i.e. 250k series, CHURN=0.001, CYCLES=9; BRIDGE_NODE_ARGS='--trace-gc')
// Threads are named by what they are in Node 20: the main thread (its tid is the pid), V8's platform workers
// (the first four threads Node starts: garbage collection helpers, concurrent marking and compilation), the
// builder's worker thread (the one busiest in the cold cycle after those), and the rest (libuv's pool: gunzip).
import { readdirSync, readFileSync } from 'node:fs';
import { startBridge } from './bridge-peer.mjs';
import { DEPLOYMENTS, THREE_RULES } from './payload.mjs';
import { FETCHES_PER_REFRESH, kindOf, startUpstream } from './upstream.mjs';

const cycles = Number(process.env.CYCLES ?? 9);
const upstream = await startUpstream({
  deployments: Number(process.env.DEPLOYMENTS ?? DEPLOYMENTS['250k']),
  churn: Number(process.env.CHURN ?? 0.001),
  refreshes: Math.ceil((cycles + 1) / FETCHES_PER_REFRESH) + 1,
  countNew: false,
});
const bridge = await startBridge(upstream.url, THREE_RULES);

/** CPU seconds per thread id, now. */
function threadCpu() {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${bridge.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${bridge.pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

const readings = [];
try {
  for (let n = 1; n <= cycles + 1; n++) await bridge.alive(upstream.request(n, () => readings.push(threadCpu())));
} finally {
  await bridge.stop();
  upstream.close();
}

const pid = bridge.pid;
const tids = [...readings.at(-1).keys()].filter((t) => t !== pid).sort((a, b) => a - b);
const platform = new Set(tids.slice(0, 4));
const delta = (i, tid) => (readings[i + 1].get(tid) ?? 0) - (readings[i].get(tid) ?? 0);
const rest = tids.filter((t) => !platform.has(t));
const builder = rest.reduce((best, t) => (delta(0, t) > delta(0, best) ? t : best), rest[0]);
const role = (tid) =>
  tid === pid ? 'main' : platform.has(tid) ? 'v8 platform' : tid === builder ? 'builder' : 'other';
for (let i = 0; i + 1 < readings.length; i++) {
  const by = { main: 0, builder: 0, 'v8 platform': 0, other: 0 };
  for (const tid of [pid, ...tids]) by[role(tid)] += delta(i, tid);
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  console.log(
    `cycle ${i + 1} (${kindOf(i + 1)}): ${total.toFixed(2)} s — ${Object.entries(by)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ')}`,
  );
}
