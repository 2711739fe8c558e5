// A whole cycle and serving it, on a payload that moves as Baseten's does (upstream-server.mjs: a refresh
// every third fetch, counters advancing, `churn` of the deployments replacing their replicas per refresh):
// the bridge (the built CLI in its own process, bridge-peer.mjs) beside a real Prometheus 2.42
// (prometheus-peer.mjs) scraping the very same sequence of bodies with the same rules, one after the other
// so they never share the two cores. Both are measured from outside the same way (proc.mjs).
// node bench/cycle.mjs (CASES=115:0.01,590:0.001 — deployments:churn[:plain], plain = upstream gzip off; RULES=3|10;
// CYCLES=9)
import os from 'node:os';
import { DEPLOYMENTS, THREE_RULES, TEN_RULES } from './payload.mjs';
import { measureBridge } from './bridge-peer.mjs';
import { findPrometheus, measurePrometheusCycles } from './prometheus-peer.mjs';
import { FETCHES_PER_REFRESH, startUpstream } from './upstream.mjs';

export const RULE_SETS = { 3: THREE_RULES, 10: TEN_RULES };

/** `115:0.01` → 115 deployments at 1 % churn, upstream gzip on; `13:0:plain` → gzip off. */
export function parseCase(text) {
  const [deployments, churn = '0', encoding = 'gzip'] = text.split(':');
  return { deployments: Number(deployments), churn: Number(churn), gzip: encoding !== 'plain' };
}

export async function cycleBench({ deployments, churn, gzip, rules = 3, cycles = Number(process.env.CYCLES ?? 9) }) {
  const large = deployments >= DEPLOYMENTS['250k'];
  // The machine is shared: its load when the case began says how far to trust the case.
  const load = os.loadavg()[0];
  // Cycles 1…cycles measured, two probed after them, then a spare refresh for the requests made meanwhile.
  const upstream = await startUpstream({
    deployments,
    churn,
    gzip,
    refreshes: Math.ceil((cycles + 3) / FETCHES_PER_REFRESH) + 1,
  });
  try {
    const bridge = await measureBridge(upstream, RULE_SETS[rules], {
      cycles,
      // The scrape-rate target is for the 5k payload.
      wrkSeconds: deployments <= DEPLOYMENTS['5k'] ? 5 : 0,
      curlRuns: large ? 5 : 10,
    });
    const prometheus = findPrometheus();
    if (!prometheus)
      console.error('!!! prometheus is not installed (apt-get install prometheus): the comparison is SKIPPED');
    const prom = prometheus
      ? await measurePrometheusCycles(prometheus, upstream, RULE_SETS[rules], {
          intervalS: large ? 6 : 3,
          cycles,
          federateRuns: large ? 3 : 5,
        })
      : undefined;
    // The refreshes whose changed bodies fall in cycles 2…cycles.
    const measured = upstream.refreshes.slice(1, Math.floor((cycles - 1) / FETCHES_PER_REFRESH) + 1);
    return {
      deployments,
      churn,
      gzip,
      rules,
      load,
      series: upstream.refreshes[0].series,
      bytes: upstream.refreshes[0].bytes,
      replacedPerRefresh: measured.map((r) => r.replaced),
      newSeriesPerRefresh: measured.map((r) => r.newSeries),
      ...bridge,
      prom,
    };
  } finally {
    upstream.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = (process.env.CASES ?? `${DEPLOYMENTS['50k']}:0.01`).split(',').map(parseCase);
  for (const c of cases) console.log(JSON.stringify(await cycleBench({ ...c, rules: Number(process.env.RULES ?? 3) })));
}
