// Relabeling cost: 250,000 Baseten-shaped series through ten rules, cold (empty cache) and warm (the next
// cycle, same series), beside a real Prometheus 2.42 scraping the same bytes with the same rules as
// metric_relabel_configs (and with none, so the difference is its relabeling). CPU from each process's own
// accounting. Run: npm run bench -- relabel    (DEPLOYMENTS=1000 by default)
import { parseExposition } from '../dist/exposition/index.js';
import { compileRelabelConfigs } from '../dist/relabel/index.js';
import { SeriesRelabelCache } from '../dist/relabel/series-cache.js';
import { payload, serveStatic, TEN_RULES } from './payload.mjs';
import { findPrometheus, measurePrometheus } from './prometheus-peer.mjs';

function cpuSeconds(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function relabelBench({ deployments = Number(process.env.DEPLOYMENTS ?? 1000) } = {}) {
  const body = payload(deployments);
  const samples = parseExposition(body).families.flatMap((f) => f.samples);
  const rules = compileRelabelConfigs(TEN_RULES);
  const cache = new SeriesRelabelCache(rules);
  let kept = 0;
  const pass = () => {
    cache.beginCycle();
    kept = 0;
    for (const s of samples) if (cache.apply(s.name, s.labels).kept) kept++;
  };
  const cold = cpuSeconds(pass);
  const warm = cpuSeconds(pass);
  const result = { series: samples.length, kept, bytes: Buffer.byteLength(body), bridgeCold: cold, bridgeWarm: warm };

  const prometheus = findPrometheus();
  if (!prometheus) {
    console.error('!!! prometheus is not installed (apt-get install prometheus): the comparison is SKIPPED');
    return result;
  }
  const server = await serveStatic(body);
  try {
    const withRules = await measurePrometheus(prometheus, server.url, TEN_RULES, { intervalS: 6 });
    const without = await measurePrometheus(prometheus, server.url, [], { intervalS: 6 });
    return { ...result, promWithRules: withRules.cpuPerScrape, promWithout: without.cpuPerScrape };
  } finally {
    await server.close();
  }
}

export function relabelTable(r) {
  const f = (s) => (s === undefined ? 'n/a' : `${s.toFixed(3)} s`);
  const ratio = (x) => (r.promWithRules ? `${(x / r.promWithRules).toFixed(2)}×` : 'n/a');
  return [
    `${r.series.toLocaleString('en')} series (${(r.bytes / 2 ** 20).toFixed(1)} MiB), 10 rules, ${r.kept.toLocaleString('en')} kept`,
    '',
    '| what | CPU per cycle | ratio to a Prometheus scrape with the rules |',
    '|---|---|---|',
    `| bridge: relabel step, cold (empty cache) | ${f(r.bridgeCold)} | ${ratio(r.bridgeCold)} |`,
    `| bridge: relabel step, warm (next cycle, same series) | ${f(r.bridgeWarm)} | ${ratio(r.bridgeWarm)} |`,
    `| Prometheus 2.42: whole scrape with the 10 rules (steady state) | ${f(r.promWithRules)} | 1× |`,
    `| Prometheus 2.42: whole scrape without rules (steady state) | ${f(r.promWithout)} | ${ratio(r.promWithout ?? 0)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(relabelTable(await relabelBench()));
}
