// The bridge as a user runs it: the built CLI (`node bin/baseten-bridge.js`) in a process of its own,
// fetching the benchmark payload every 10 s (the shortest interval Baseten's rate limit allows). Measured
// from outside, exactly as prometheus-peer.mjs measures Prometheus: CPU from /proc/<pid>/stat between the
// bridge's requests to the upstream (so a "cycle" is one whole interval: fetch, build in the worker
// thread, swap, and the idle rest), memory from /proc/<pid>/status, response times with curl and the
// sustained scrape rate with wrk.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApiKey } from '../dist/demo/index.js';
import { cpuSecondsOf, curlMedianMs, freePort, median, peakRssBytesOf, rssBytesOf, sleep, wrkRate } from './proc.mjs';

const BIN = new URL('../bin/baseten-bridge.js', import.meta.url).pathname;

export function bridgeConfig(upstreamUrl, rules) {
  // YAML is a superset of JSON.
  return JSON.stringify({
    upstream: { url: upstreamUrl, interval: '10s', timeout: '9s', max_requests_per_minute: 6, max_staleness: '1h', body_size_limit: '256MiB', allow_insecure_http: true },
    metric_relabel_configs: rules,
  });
}

async function startBridge(upstreamUrl, rules) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  writeFileSync(join(dir, 'bridge.yml'), bridgeConfig(upstreamUrl, rules));
  const port = await freePort();
  let stderr = '';
  const env = { ...process.env, HOME: dir, BASETEN_API_KEY: generateApiKey() };
  delete env.BASETEN_API_KEY_FILE;
  const child = spawn(process.execPath, [BIN, `--config.file=${join(dir, 'bridge.yml')}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.path=${dir}`, '--log.level=warn'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    /** Rejects if the bridge exits before `promise` settles (a bad config, a crash), instead of waiting forever. */
    alive: (promise) => Promise.race([promise, exited.then((code) => Promise.reject(new Error(`the bridge exited (${code}): ${stderr.slice(0, 500)}`)))]),
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
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await cyclesDone(bridge.base)) >= n) return;
    await sleep(50);
  }
  throw new Error(`the bridge did not finish ${n} cycles (stderr: ${bridge.stderr().slice(0, 500)})`);
}

/** Latency of GET /-/healthy every 20 ms until `until` resolves: what a scraper sees while a cycle runs. */
async function probeHealthy(base, until) {
  const times = [];
  let done = false;
  until.then(() => (done = true));
  while (!done) {
    const t = performance.now();
    await (await fetch(`${base}/-/healthy`)).arrayBuffer();
    times.push(performance.now() - t);
    await sleep(20);
  }
  times.sort((a, b) => a - b);
  return { p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))], max: times.at(-1), n: times.length };
}

/**
 * Starts the bridge against `upstream` (static-upstream.mjs) and measures: the cold cycle (first request to
 * second), `warmCycles` warm ones, then — in one more cycle — /-/healthy latency while it builds, and once it
 * is done, /metrics response times (plain, gzip) and, with `wrkSeconds`, the sustained gzip scrape rate.
 */
export async function measureBridge(upstream, rules, { warmCycles = 3, wrkSeconds = 0, curlRuns = 10 } = {}) {
  const bridge = await startBridge(upstream.url, rules);
  try {
    const cpuAt = [];
    const mark = () => cpuAt.push(cpuSecondsOf(bridge.pid));
    for (let n = 1; n <= warmCycles + 2; n++) await bridge.alive(upstream.request(n, mark));
    const cold = cpuAt[1] - cpuAt[0];
    const warms = cpuAt.slice(2).map((c, i) => c - cpuAt[i + 1]);
    // Cycle warmCycles + 2 has started: probe while it runs, then measure the served snapshot in its quiet rest.
    const healthy = await bridge.alive(probeHealthy(bridge.base, waitForCycles(bridge, warmCycles + 2)));
    const steadyRss = rssBytesOf(bridge.pid);
    const metricsUrl = `${bridge.base}/metrics`;
    const plain = curlMedianMs(metricsUrl, { gzip: false, n: curlRuns });
    const gzip = curlMedianMs(metricsUrl, { gzip: true, n: curlRuns });
    const scrapesPerSecond = wrkSeconds > 0 ? wrkRate(metricsUrl, wrkSeconds) : undefined;
    return {
      cold,
      warm: median(warms),
      warms,
      steadyRss,
      peakRss: peakRssBytesOf(bridge.pid),
      scrapePlain: plain.ms,
      scrapeGzip: gzip.ms,
      bytesPlain: plain.bytes,
      bytesGzip: gzip.bytes,
      healthyP99: healthy.p99,
      healthyMax: healthy.max,
      scrapesPerSecond,
    };
  } finally {
    await bridge.stop();
  }
}
