// A whole cycle at three organization sizes (5k, 50k, 250k series), with the upstream gzip on and off:
// the bridge (fetch → parse/replay → relabel → render → gzip, in its worker thread) beside a real
// Prometheus 2.42 scraping the same bytes with the same rules. CPU from process accounting (the whole
// process, worker included); event-loop lag sampled on the main thread during the cycles.
//   node bench/cycle.mjs     (SIZES=20,200,1000 deployments by default; CYCLES=5 warm cycles)
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createServer } from 'node:http';
import { buildConfig } from '../dist/config/index.js';
import { generateApiKey } from '../dist/demo/index.js';
import { createLogger, SecretRegistry } from '../dist/log/index.js';
import { createBridgeMetrics } from '../dist/selfmetrics/bridge-metrics.js';
import { createApp } from '../dist/server/index.js';
import { Bridge } from '../dist/bridge.js';
import { TEN_RULES } from './payload.mjs';
import { findPrometheus, measurePrometheus } from './prometheus-peer.mjs';

const KEY = generateApiKey();
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function startStatic(deployments, gzip) {
  const child = spawn(process.execPath, [new URL('./static-server.mjs', import.meta.url).pathname], { env: { ...process.env, DEPLOYMENTS: String(deployments), GZIP: gzip ? '1' : '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { url: line.toString().trim(), close: () => child.kill() };
}

async function timeRequests(url, headers, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function wrk(url, seconds = 5) {
  try {
    const out = execFileSync('wrk', ['-t2', '-c8', `-d${seconds}s`, '-H', 'Accept-Encoding: gzip', url], { encoding: 'utf8' });
    return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  } catch {
    return undefined;
  }
}

export async function cycleBench(deployments, gzip, cycles = Number(process.env.CYCLES ?? 5)) {
  const upstream = await startStatic(deployments, gzip);
  const secrets = new SecretRegistry();
  const config = buildConfig(
    { upstream: { url: upstream.url, interval: '15s', timeout: '14s', max_staleness: '1h', body_size_limit: '256MiB', allow_insecure_http: true }, metric_relabel_configs: TEN_RULES },
    'bench',
    '/',
  );
  const metrics = createBridgeMetrics();
  let clock = Date.now();
  const bridge = new Bridge({ config, logger: createLogger({ level: 'error', format: 'logfmt', secrets, write: () => undefined }), secrets, metrics, fixedKey: { key: KEY, source: 'bench' }, now: () => clock });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const runCycle = async () => {
    clock += 15_000;
    const c = cpuNow();
    const outcome = await bridge.runCycle();
    if (!outcome.ok) throw new Error(`bench cycle failed: ${outcome.reason} ${outcome.message}`);
    return cpuNow() - c;
  };
  lag.enable();
  const cold = await runCycle();
  const warms = [];
  for (let i = 0; i < cycles; i++) warms.push(await runCycle());
  lag.disable();
  warms.sort((a, b) => a - b);
  const warm = warms[Math.floor(warms.length / 2)];
  const server = createServer(createApp({ telemetryPath: '/metrics', store: bridge.store, registry: metrics.registry, upstreamHost: 'bench', reload: async () => [] }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const metricsUrl = `http://127.0.0.1:${server.address().port}/metrics`;
  const scrapePlain = await timeRequests(metricsUrl, { 'Accept-Encoding': 'identity' }, 10);
  const scrapeGzip = await timeRequests(metricsUrl, { 'Accept-Encoding': 'gzip' }, 10);
  const scrapesPerSecond = deployments <= 20 ? wrk(metricsUrl) : undefined;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const series = bridge.store.last()?.seriesScraped ?? 0;
  server.close();
  await bridge.close();

  let prom;
  const prometheus = findPrometheus();
  if (prometheus) prom = await measurePrometheus(prometheus, upstream.url, TEN_RULES, { intervalS: deployments >= 1000 ? 6 : 3 });
  upstream.close();
  return { deployments, gzip, series, cold, warm, peakRss, scrapePlain, scrapeGzip, scrapesPerSecond, lagP99: lag.percentile(99) / 1e6, lagMax: lag.max / 1e6, prom };
}

export function cycleTable(rows) {
  const s = (x) => (x === undefined ? 'n/a' : `${x.toFixed(3)} s`);
  const ms = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
  const mib = (x) => (x === undefined ? 'n/a' : `${(x / 2 ** 20).toFixed(0)} MiB`);
  const r = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : 'n/a');
  const lines = [
    '| series | upstream gzip | bridge cold CPU | bridge warm CPU | Prometheus CPU/scrape | warm ratio | cold ratio | bridge peak RSS | Prometheus peak RSS | RSS ratio | /metrics plain | /metrics gzip | /federate | federate ÷ gzip | event-loop lag p99 / max | scrapes/s (wrk, gzip) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const x of rows) {
    const p = x.prom;
    lines.push(
      `| ${x.series.toLocaleString('en')} | ${x.gzip ? 'on' : 'off'} | ${s(x.cold)} | ${s(x.warm)} | ${s(p?.cpuPerScrape)} | ${r(x.warm, p?.cpuPerScrape)} | ${r(x.cold, p?.cpuPerScrape)} | ${mib(x.peakRss)} | ${mib(p?.peakRss)} | ${r(x.peakRss, p?.peakRss)} | ${ms(x.scrapePlain)} | ${ms(x.scrapeGzip)} | ${ms(p?.federateMs)} | ${p ? `${(p.federateMs / x.scrapeGzip).toFixed(0)}×` : 'n/a'} | ${ms(x.lagP99)} / ${ms(x.lagMax)} | ${x.scrapesPerSecond?.toFixed(0) ?? 'n/a'} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.env.SIZES ?? '20,200,1000').split(',').map(Number);
  const rows = [];
  for (const d of sizes) for (const gzip of [true, false]) rows.push(await cycleBench(d, gzip));
  console.log(cycleTable(rows));
}
