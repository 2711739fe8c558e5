// Relabeling cost: 250,000 Baseten-shaped series through ten rules, as the bridge does it: in the snapshot
// builder, where a series not seen before is relabeled once (cold: an empty cache, every series) and a
// series seen before is a cache hit (warm: the next body, same series, new values). The same builds with no
// rules say what the rules add. Beside a real Prometheus 2.42 scraping the same bytes with the same rules as
// metric_relabel_configs (and with none). CPU from each process's own accounting.
// Run: npm run bench -- relabel    (DEPLOYMENTS=590 by default: 250k series)
import { compileRelabelConfigs } from '../dist/relabel/index.js';
import { SnapshotBuilder } from '../dist/snapshot/index.js';
import { BENCH_BUILD_OPTIONS, BENCH_TIME_MS, DEPLOYMENTS, serveStatic, TEN_RULES } from './payload.mjs';
import { MovingPayload } from './moving-payload.mjs';
import { findPrometheus, measurePrometheus } from './prometheus-peer.mjs';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function cpuSeconds(fn) {
  const start = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(start);
  return [(used.user + used.system) / 1e6, out];
}

/** A cold build of `first` and a warm one of `next` (the same series, moved on) with `rules`. */
function builds(rules, first, next) {
  const builder = new SnapshotBuilder(compileRelabelConfigs(rules), BENCH_BUILD_OPTIONS);
  const [cold, result] = cpuSeconds(() => builder.build(first, CONTENT_TYPE, BENCH_TIME_MS));
  if (!result.ok) throw new Error(`bench body refused: ${result.message}`);
  const [warm, again] = cpuSeconds(() => builder.build(next, CONTENT_TYPE, BENCH_TIME_MS));
  if (!again.ok || again.newSeries !== 0) throw new Error('the second body was expected to hold the same series');
  return { cold, warm, served: result.snapshot.seriesServed, scraped: result.snapshot.seriesScraped };
}

export async function relabelBench({ deployments = Number(process.env.DEPLOYMENTS ?? DEPLOYMENTS['250k']) } = {}) {
  const moving = new MovingPayload(deployments, 0, { countNew: false });
  const body = Buffer.from(moving.next().text);
  const next = Buffer.from(moving.next().text);
  const ruled = builds(TEN_RULES, body, next);
  const plain = builds([], body, next);
  const result = {
    series: ruled.scraped,
    kept: ruled.served,
    bytes: body.length,
    bridgeCold: ruled.cold,
    bridgeWarm: ruled.warm,
    bridgeColdNoRules: plain.cold,
    bridgeWarmNoRules: plain.warm,
  };

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
    `${r.series.toLocaleString('en')} series (${(r.bytes / 2 ** 20).toFixed(1)} ` +
      `MiB), 10 rules, ${r.kept.toLocaleString('en')} kept. The bridge's`,
    'figures are the snapshot builder alone (in the benchmark process), ' +
      'where relabeling happens; Prometheus’s its whole scrape.',
    '',
    '| what | CPU per cycle | ratio to a Prometheus scrape with the rules |',
    '|---|---|---|',
    `| bridge: build with the 10 rules, cold (empty cache: every series ` +
      `relabeled) | ${f(r.bridgeCold)} | ${ratio(r.bridgeCold)} |`,
    `| bridge: build with the 10 rules, warm (next body, same series: ` +
      `cache hits) | ${f(r.bridgeWarm)} | ${ratio(r.bridgeWarm)} |`,
    `| bridge: build without rules, cold | ${f(r.bridgeColdNoRules)} | ${ratio(r.bridgeColdNoRules ?? 0)} |`,
    `| bridge: build without rules, warm | ${f(r.bridgeWarmNoRules)} | ${ratio(r.bridgeWarmNoRules ?? 0)} |`,
    `| Prometheus 2.42: whole scrape with the 10 rules (steady state) | ${f(r.promWithRules)} | 1× |`,
    `| Prometheus 2.42: whole scrape without rules (steady state) | ` +
      `${f(r.promWithout)} | ${ratio(r.promWithout ?? 0)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(relabelTable(await relabelBench()));
}
