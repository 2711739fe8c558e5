#!/usr/bin/env node
// Soak: 1,000 cycles at an accelerated clock against the simulator cycling through every fault mode.
// The simulator runs in a child process, so the numbers are the bridge's alone.
// Prints RSS and heap after warm-up and at the end (after a full GC; flat means within 10 %) and the most
// requests the simulator saw in any 60-second window (must be at most the configured budget).
//   npm run soak            (builds first; runs `node --expose-gc bench/soak.mjs`)
//   CYCLES=200 npm run soak
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { buildConfig } from '../dist/config/index.js';
import { generateApiKey } from '../dist/demo/index.js';
import { createLogger, SecretRegistry } from '../dist/log/index.js';
import { createBridgeMetrics } from '../dist/selfmetrics/bridge-metrics.js';
import { Bridge } from '../dist/targets/index.js';

const CYCLES = Number(process.env.CYCLES ?? 1000);
const BUDGET = 5;
const FAULTS = [
  undefined,
  { kind: 'status', status: 401 },
  { kind: 'status', status: 403 },
  { kind: 'status', status: 404 },
  { kind: 'status', status: 429 },
  { kind: 'status', status: 429, retryAfter: '30' },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503 },
  { kind: 'refuse' },
  { kind: 'reset-mid-body' },
  { kind: 'hang' },
  { kind: 'trickle', bytesPerSecond: 20_000 },
  { kind: 'endless' },
  { kind: 'empty' },
  { kind: 'html' },
  { kind: 'truncated-gzip' },
  { kind: 'malformed-lines', ratio: 0.005 },
  { kind: 'malformed-lines', ratio: 0.2 },
  { kind: 'invalid-utf8' },
  { kind: 'duplicate-series' },
  { kind: 'scale', factor: 10 },
  { kind: 'no-help-type' },
];

const clock = { now: Date.UTC(2026, 0, 1) };
const now = () => clock.now;
const key = generateApiKey();
const child = fork(new URL('./simulator-process.mjs', import.meta.url), {
  env: { ...process.env, SIM_API_KEY: key, SIM_START_MS: String(clock.now) },
});
const ask = async (msg) => {
  child.send(msg);
  const [reply] = await once(child, 'message');
  return reply;
};
const simulator = { url: (await once(child, 'message'))[0].url };
const secrets = new SecretRegistry();
const logger = createLogger({ level: 'error', format: 'logfmt', secrets, write: () => undefined });
const config = buildConfig(
  {
    upstream: {
      url: simulator.url,
      interval: '15s',
      timeout: '300ms',
      max_staleness: '2m',
      body_size_limit: '16MiB',
      max_requests_per_minute: BUDGET,
    },
  },
  'soak',
  '/',
).targets[0];
const bridge = new Bridge({
  config,
  logger,
  secrets,
  metrics: createBridgeMetrics(),
  keyLookup: { env: { BASETEN_API_KEY: key }, homeDir: '/nonexistent' },
  now,
});

function memory() {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}
const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

let nextDue = clock.now;
let ok = 0;
let sent = 0;
async function attempt(fault) {
  clock.now = Math.max(clock.now, nextDue);
  await ask({ fault: fault ?? null, clock: clock.now });
  const outcome = await bridge.runCycle();
  nextDue = outcome.nextDueMs;
  return outcome;
}

// Warm-up: every fault once, so the largest body (10x) has been through before the first reading.
for (const fault of FAULTS) await attempt(fault);
const start = memory();
const checkpoints = [];
const t0 = performance.now();
for (let i = 0; i < CYCLES; i++) {
  // Blocks of 10 attempts: healthy, then the next fault, then healthy again, and so on.
  const block = Math.floor(i / 10);
  const fault = block % 2 === 0 ? undefined : FAULTS[1 + (((block - 1) / 2) % (FAULTS.length - 1))];
  const outcome = await attempt(fault);
  if (outcome.ok) ok++;
  if (outcome.reason !== 'budget') sent++;
  if ((i + 1) % Math.ceil(CYCLES / 5) === 0) checkpoints.push(memory().rss);
}
const end = memory();
await bridge.close();
const wall = (performance.now() - t0) / 1000;

const times = (await ask({ requests: true })).requests.sort((a, b) => a - b);
let maxPerMinute = 0;
for (let i = 0, j = 0; i < times.length; i++) {
  while (times[i] - times[j] >= 60_000) j++;
  maxPerMinute = Math.max(maxPerMinute, i - j + 1);
}
child.send({ close: true });

const rssGrowth = end.rss / start.rss - 1;
const heapGrowth = end.heap / start.heap - 1;
console.log(
  `soak: ${CYCLES} cycles (${ok} good, ${sent} sent, ${CYCLES - sent} ` +
    `put off by the budget) in ${wall.toFixed(1)} s wall, ` +
    `${((clock.now - Date.UTC(2026, 0, 1)) / 3_600_000).toFixed(1)} h simulated`,
);
console.log(`rss:  ${mib(start.rss)} after warm-up → ${mib(end.rss)} at the end (${(rssGrowth * 100).toFixed(1)} %)`);
console.log(`rss along the way: ${checkpoints.map(mib).join(' → ')}`);
console.log(
  `heap: ${mib(start.heap)} after warm-up → ${mib(end.heap)} at the end (${(heapGrowth * 100).toFixed(1)} %)`,
);
console.log(`budget: at most ${maxPerMinute} requests in any 60 s (limit ${BUDGET})`);
const flat = rssGrowth <= 0.1 && heapGrowth <= 0.1;
console.log(`verdict: memory ${flat ? 'flat' : 'GREW'}; budget ${maxPerMinute <= BUDGET ? 'kept' : 'EXCEEDED'}`);
process.exitCode = flat && maxPerMinute <= BUDGET ? 0 : 1;
