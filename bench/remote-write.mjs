// remote_write cost at 250k series: the bridge (fetch, build, push each good cycle) beside vmagent and
// Prometheus 2.42 in agent mode (each scraping and pushing), all three scraping the same moving upstream
// with the same three rules and pushing to the same receiver (victoria-metrics on loopback), one after the
// other. Each is measured from outside (cycle-stats.mjs); the receiver's count of rows inserted shows that
// each peer delivered what it scraped.
//   node bench/remote-write.mjs     (RW_CASES=590:0,590:0.001; CYCLES=9)
import os from 'node:os';
import { measureBridge } from './bridge-peer.mjs';
import { DEPLOYMENTS } from './payload.mjs';
import { parseCase, RULE_SETS } from './cycle.mjs';
import { findPrometheus, measurePrometheusCycles } from './prometheus-peer.mjs';
import { FETCHES_PER_REFRESH, startUpstream } from './upstream.mjs';
import { haveVictoriaMetrics, measureVmagent, startReceiver } from './victoria-peer.mjs';

/** Runs one peer; the rows the receiver took meanwhile, and the scrapes (upstream requests) they came from. */
async function delivered(receiver, upstream, run) {
  const before = await receiver.rowsInserted();
  const result = await run();
  const scrapes = upstream.requests();
  // The peer has stopped (SIGTERM lets each flush its queue); rows still in flight land within a second.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return { ...result, rowsReceived: (await receiver.rowsInserted()) - before, scrapes };
}

export async function remoteWriteBench({
  deployments,
  churn,
  gzip = true,
  rules = 3,
  cycles = Number(process.env.CYCLES ?? 9),
}) {
  if (!haveVictoriaMetrics()) {
    console.error(
      '!!! victoria-metrics / vmagent are not installed (apt-get install victoria-metrics): remote_write is SKIPPED',
    );
    return { deployments, churn, skipped: 'victoria-metrics not installed' };
  }
  const load = os.loadavg()[0];
  const upstream = await startUpstream({
    deployments,
    churn,
    gzip,
    refreshes: Math.ceil((cycles + 2) / FETCHES_PER_REFRESH) + 1,
    countNew: false,
  });
  const receiver = await startReceiver();
  const large = deployments >= DEPLOYMENTS['250k'];
  try {
    const remoteWriteUrl = receiver.writeUrl;
    const bridge = await delivered(receiver, upstream, () =>
      measureBridge(upstream, RULE_SETS[rules], { cycles, remoteWriteUrl, serving: false }),
    );
    const vmagent = await delivered(receiver, upstream, () =>
      measureVmagent(upstream, RULE_SETS[rules], { intervalS: large ? 6 : 3, cycles, remoteWriteUrl }),
    );
    const prometheus = findPrometheus();
    const agent = prometheus
      ? await delivered(receiver, upstream, () =>
          measurePrometheusCycles(prometheus, upstream, RULE_SETS[rules], {
            intervalS: large ? 6 : 3,
            cycles,
            remoteWriteUrl,
          }),
        )
      : undefined;
    return {
      deployments,
      churn,
      gzip,
      rules,
      cycles,
      load,
      series: upstream.refreshes[0].series,
      bridge,
      vmagent,
      agent,
    };
  } finally {
    await receiver.close();
    upstream.close();
  }
}

const s = (x) => (x === undefined ? 'n/a' : `${x.toFixed(3)} s`);
const mib = (x) => (x === undefined ? 'n/a' : `${(x / 2 ** 20).toFixed(0)} MiB`);
const ratio = (a, b) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : 'n/a');
const pct = (c) => `${+(c * 100).toFixed(2)} %`;

export function remoteWriteTable(rows) {
  const lines = [
    '| series | churn | peer | CPU, first cycle | CPU per cycle, steady ' +
      '(median) | changed bodies (mean) | mean per cycle | ÷ vmagent ' +
      '(steady) | peak RSS | ÷ vmagent | samples received / requests to the ' +
      'upstream | machine load at the start |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.deployments} deployments | ${pct(r.churn)} | skipped: ${r.skipped} | | | | | | | | | |`);
      continue;
    }
    const peers = [
      ['bridge (fetch + build + push)', r.bridge],
      ['vmagent (scrape + push)', r.vmagent],
      ['Prometheus 2.42 agent mode (scrape + push)', r.agent],
    ];
    for (const [name, p] of peers) {
      if (!p) continue;
      const received = p.rowsReceived !== undefined ? `${p.rowsReceived.toLocaleString('en')} / ${p.scrapes}` : 'n/a';
      lines.push(
        `| ${r.series.toLocaleString('en')} | ${pct(r.churn)} | ${name} | ` +
          `${s(p.cold)} | ${s(p.steady)} | ${s(p.changed)} | ${s(p.mean)} | ` +
          `${ratio(p.steady, r.vmagent?.steady)} | ${mib(p.peakRss)} | ` +
          `${ratio(p.peakRss, r.vmagent?.peakRss)} | ${received} | ` +
          `${r.load?.toFixed(1) ?? 'n/a'} |`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = (process.env.RW_CASES ?? `${DEPLOYMENTS['250k']}:0,${DEPLOYMENTS['250k']}:0.001`)
    .split(',')
    .map(parseCase);
  const rows = [];
  for (const c of cases) rows.push(await remoteWriteBench(c));
  console.error(JSON.stringify(rows));
  console.log(remoteWriteTable(rows));
}
