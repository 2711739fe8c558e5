// A whole cycle and serving it at three organization sizes (5k, 50k, 250k series), upstream gzip on and
// off: the bridge (the built CLI in its own process, bridge-peer.mjs) beside a real Prometheus 2.42
// (prometheus-peer.mjs) scraping the very same bytes with the same ten rules, one after the other so they
// never share the two cores. Both are measured from outside the same way (proc.mjs).
//   node bench/cycle.mjs     (SIZES=20,200,1000 deployments by default; WARM_CYCLES=3)
import { TEN_RULES } from './payload.mjs';
import { measureBridge } from './bridge-peer.mjs';
import { findPrometheus, measurePrometheus } from './prometheus-peer.mjs';
import { startStatic } from './static-upstream.mjs';

export async function cycleBench(deployments, gzip) {
  const large = deployments >= 1000;
  const upstream = await startStatic(deployments, gzip);
  try {
    const bridge = await measureBridge(upstream, TEN_RULES, {
      warmCycles: Number(process.env.WARM_CYCLES ?? 3),
      // The scrape-rate target is for the 5k payload.
      wrkSeconds: deployments <= 20 ? 5 : 0,
      curlRuns: large ? 5 : 10,
    });
    const series = await seriesOf(upstream.url, gzip);
    const prometheus = findPrometheus();
    if (!prometheus) console.error('!!! prometheus is not installed (apt-get install prometheus): the comparison is SKIPPED');
    const prom = prometheus ? await measurePrometheus(prometheus, upstream.url, TEN_RULES, { intervalS: large ? 6 : 3, federateRuns: large ? 3 : 5 }) : undefined;
    return { deployments, gzip, series, ...bridge, prom };
  } finally {
    upstream.close();
  }
}

async function seriesOf(url) {
  const text = await (await fetch(url)).text();
  let n = 0;
  for (const line of text.split('\n')) if (line !== '' && line[0] !== '#') n++;
  return n;
}

const s = (x) => (x === undefined ? 'n/a' : `${x.toFixed(3)} s`);
const ms = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
const mib = (x) => (x === undefined ? 'n/a' : `${(x / 2 ** 20).toFixed(0)} MiB`);
const ratio = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : 'n/a');

export function cycleTables(rows) {
  const cpu = [
    '| series | upstream gzip | bridge cold | bridge warm | Prometheus per scrape | warm ÷ Prometheus | cold ÷ Prometheus |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.series.toLocaleString('en')} | ${x.gzip ? 'on' : 'off'} | ${s(x.cold)} | ${s(x.warm)} | ${s(x.prom?.cpuPerScrape)} | ${ratio(x.warm, x.prom?.cpuPerScrape)} | ${ratio(x.cold, x.prom?.cpuPerScrape)} |`),
  ];
  const memory = [
    '| series | upstream gzip | bridge RSS, steady | Prometheus RSS, steady | ratio | bridge peak RSS | Prometheus peak RSS | ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.series.toLocaleString('en')} | ${x.gzip ? 'on' : 'off'} | ${mib(x.steadyRss)} | ${mib(x.prom?.steadyRss)} | ${ratio(x.steadyRss, x.prom?.steadyRss)} | ${mib(x.peakRss)} | ${mib(x.prom?.peakRss)} | ${ratio(x.peakRss, x.prom?.peakRss)} |`),
  ];
  const serving = [
    '| series | upstream gzip | /metrics plain | /metrics gzip | Prometheus /federate (gzip) | /federate ÷ /metrics gzip | /-/healthy during a cycle, p99 / max | scrapes/s (wrk, gzip) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `| ${x.series.toLocaleString('en')} | ${x.gzip ? 'on' : 'off'} | ${ms(x.scrapePlain)} | ${ms(x.scrapeGzip)} | ${ms(x.prom?.federateMs)} | ${x.prom?.federateMs ? `${(x.prom.federateMs / x.scrapeGzip).toFixed(0)}×` : 'n/a'} | ${ms(x.healthyP99)} / ${ms(x.healthyMax)} | ${x.scrapesPerSecond?.toFixed(0) ?? '—'} |`,
    ),
  ];
  return { cpu: cpu.join('\n'), memory: memory.join('\n'), serving: serving.join('\n') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.env.SIZES ?? '20,200,1000').split(',').map(Number);
  const rows = [];
  for (const d of sizes) for (const gzip of [true, false]) rows.push(await cycleBench(d, gzip));
  const t = cycleTables(rows);
  console.log(`${t.cpu}\n\n${t.memory}\n\n${t.serving}`);
}
