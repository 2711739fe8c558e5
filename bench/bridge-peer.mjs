// The bridge as a user runs it: the built CLI (`node bin/baseten-bridge.js`) in a process of its own,
// fetching the benchmark upstream every 10 s (the shortest interval Baseten's rate limit allows). Measured
// from outside, exactly as prometheus-peer.mjs measures Prometheus: CPU from /proc/<pid>/stat between the
// bridge's requests to the upstream (so a "cycle" is one whole interval: fetch, build in the worker
// thread, swap, push when remote_write is on, and the idle rest), memory from /proc/<pid>/status, response
// times with curl and the sustained scrape rate with wrk. The CLI is a black box here: whatever engine
// src/snapshot/ holds, this measures it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApiKey } from '../dist/demo/index.js';
import { cpuSecondsOf, curlMedianMs, freePort, peakRssBytesOf, rssBytesOf, sleep, wrkRate } from './proc.mjs';
import { cycleStats } from './cycle-stats.mjs';
import { kindOf } from './upstream.mjs';

const BIN = new URL('../bin/baseten-bridge.js', import.meta.url).pathname;

/** Extra Node options for the bridge, to look inside a cycle: `BRIDGE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p'`. */
const NODE_ARGS = (process.env.BRIDGE_NODE_ARGS ?? '').split(' ').filter(Boolean);

export function bridgeConfig(upstreamUrl, rules, remoteWriteUrl) {
  // YAML is a superset of JSON.
  return JSON.stringify({
    upstream: {
      url: upstreamUrl,
      interval: '10s',
      timeout: '9s',
      max_requests_per_minute: 6,
      max_staleness: '1h',
      body_size_limit: '256MiB',
      allow_insecure_http: true,
    },
    metric_relabel_configs: rules,
    ...(remoteWriteUrl ? { remote_write: [{ url: remoteWriteUrl, name: 'bench' }] } : {}),
  });
}

/** The built CLI against `upstreamUrl`, in a process and a temporary folder of its own (BRIDGE_NODE_ARGS apply). */
export async function startBridge(upstreamUrl, rules, remoteWriteUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  writeFileSync(join(dir, 'bridge.yml'), bridgeConfig(upstreamUrl, rules, remoteWriteUrl));
  const port = await freePort();
  let stderr = '';
  const env = { ...process.env, HOME: dir, BASETEN_API_KEY: generateApiKey() };
  delete env.BASETEN_API_KEY_FILE;
  const child = spawn(
    process.execPath,
    [
      ...NODE_ARGS,
      BIN,
      `--config.file=${join(dir, 'bridge.yml')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.path=${dir}`,
      '--log.level=warn',
    ],
    {
      env,
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    /** Rejects if the bridge exits before `promise` settles (a bad config, a crash), instead of waiting forever. */
    alive: (promise) =>
      Promise.race([
        promise,
        exited.then((code) => Promise.reject(new Error(`the bridge exited (${code}): ${stderr.slice(0, 500)}`))),
      ]),
    base: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Number of finished fetch attempts, from the status API (read only while nothing is being measured). */
async function cyclesDone(base) {
  try {
    const body = await (await fetch(`${base}/api/v1/status`)).json();
    return body.data.targets[0].history.length;
  } catch {
    return 0;
  }
}

async function waitForCycles(bridge, n) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if ((await cyclesDone(bridge.base)) >= n) return;
    await sleep(50);
  }
  throw new Error(`the bridge did not finish ${n} cycles (stderr: ${bridge.stderr().slice(0, 500)})`);
}

/**
 * Latency of GET /-/healthy every 20 ms until `until` resolves — or, with `untilReady`, until /-/ready
 * (asked every fifth probe) answers 200, i.e. the first snapshot is in: what a scraper sees while a cycle runs.
 */
async function probeHealthy(base, until, { untilReady = false } = {}) {
  const times = [];
  let done = false;
  until?.then(() => (done = true));
  for (let i = 1; !done; i++) {
    const t = performance.now();
    await (await fetch(`${base}/-/healthy`)).arrayBuffer();
    times.push(performance.now() - t);
    if (untilReady && i % 5 === 0) {
      const ready = await fetch(`${base}/-/ready`);
      await ready.arrayBuffer();
      if (ready.status === 200) break;
    }
    await sleep(20);
  }
  times.sort((a, b) => a - b);
  return {
    p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))],
    max: times.at(-1),
    n: times.length,
  };
}

/** The bridge's remote_write self-metrics (samples sent, failed, dropped), read once nothing is measured. */
async function remoteWriteCounts(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (name) => {
    let total = 0;
    for (const m of text.matchAll(new RegExp(`^baseten_bridge_remote_write_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
      total += Number(m[1]);
    return total;
  };
  return {
    sent: sum('samples_sent_total'),
    failed: sum('samples_failed_total'),
    dropped: sum('samples_dropped_total'),
  };
}

/** /-/healthy during a cold cycle, in a bridge of its own started for it, so no measured cycle carries probes. */
async function probeColdCycle(upstream, rules) {
  await upstream.reset();
  const bridge = await startBridge(upstream.url, rules);
  try {
    await bridge.alive(upstream.request(1));
    return await bridge.alive(probeHealthy(bridge.base, undefined, { untilReady: true }));
  } finally {
    await bridge.stop();
  }
}

/**
 * Starts the bridge against `upstream` (upstream.mjs, reset to refresh 0) and measures, in this order:
 * 1. cycles 1…`cycles` (1 is the cold one) with nothing else running: CPU per cycle, then VmRSS (the steady RSS);
 * 2. two more cycles, a changed body and a repeated one (`cycles` is a multiple of 3), with /-/healthy probed
 *    every 20 ms through each;
 * 3. once the last of them is built, /metrics response times (plain, gzip) and, with `wrkSeconds`, the
 *    sustained gzip scrape rate; VmHWM (peak RSS) last;
 * 4. then, in a second bridge started for it, /-/healthy through a cold cycle (start to first snapshot).
 * With `serving: false`, only the cycles (nothing probed, nothing served): for the remote_write comparison.
 */
export async function measureBridge(
  upstream,
  rules,
  { cycles = 9, wrkSeconds = 0, curlRuns = 10, remoteWriteUrl, serving = true } = {},
) {
  if (cycles % 3 !== 0)
    throw new Error(
      'cycles must be a multiple of 3, so the probed cycles after them are a changed one and a repeated one',
    );
  await upstream.reset();
  const bridge = await startBridge(upstream.url, rules, remoteWriteUrl);
  try {
    const cpuAt = [];
    const mark = (n) => () => (cpuAt[n] = cpuSecondsOf(bridge.pid));
    await bridge.alive(upstream.request(1, mark(1)));
    for (let n = 2; n <= cycles + 1; n++) await bridge.alive(upstream.request(n, mark(n)));
    const steadyRss = rssBytesOf(bridge.pid);
    const perCycle = [];
    for (let n = 1; n <= cycles; n++) perCycle.push({ n, kind: kindOf(n), cpu: cpuAt[n + 1] - cpuAt[n] });
    if (!serving) {
      // Let the last measured cycle's push finish before the counts are read.
      await bridge.alive(waitForCycles(bridge, cycles + 1));
      await sleep(2_000);
      return {
        ...cycleStats(perCycle),
        perCycle,
        steadyRss,
        peakRss: peakRssBytesOf(bridge.pid),
        remoteWrite: remoteWriteUrl ? await remoteWriteCounts(bridge.base) : undefined,
      };
    }
    const healthy = {};
    for (let n = cycles + 1; n <= cycles + 2; n++)
      healthy[kindOf(n)] = await bridge.alive(probeHealthy(bridge.base, upstream.request(n + 1)));
    await bridge.alive(waitForCycles(bridge, cycles + 3));
    const metricsUrl = `${bridge.base}/metrics`;
    const plain = curlMedianMs(metricsUrl, { gzip: false, n: curlRuns });
    const gzip = curlMedianMs(metricsUrl, { gzip: true, n: curlRuns });
    const scrapesPerSecond = wrkSeconds > 0 ? wrkRate(metricsUrl, wrkSeconds) : undefined;
    const remoteWrite = remoteWriteUrl ? await remoteWriteCounts(bridge.base) : undefined;
    const peakRss = peakRssBytesOf(bridge.pid);
    const pastPrepared = upstream.requests() > upstream.covers;
    await bridge.stop();
    healthy.cold = await probeColdCycle(upstream, rules);
    return {
      ...cycleStats(perCycle),
      perCycle,
      steadyRss,
      peakRss,
      scrapePlain: plain.ms,
      scrapeGzip: gzip.ms,
      bytesPlain: plain.bytes,
      bytesGzip: gzip.bytes,
      healthy,
      scrapesPerSecond,
      remoteWrite,
      pastPrepared,
    };
  } finally {
    await bridge.stop();
  }
}
