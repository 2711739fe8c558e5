// bench/RESULTS.md from one run's data (run.mjs): the header (machine, date, total time, how the upstream
// moves, how to run subsets), then each section that ran with its command, its method and its tables, and
// the targets of issue 13 last.
import { cycleTables } from './cycle-tables.mjs';
import { identityTable } from './identity.mjs';
import { relabelTable } from './relabel.mjs';
import { remoteWriteTable } from './remote-write.mjs';
import { steadyTable } from './steady.mjs';
import { targetsSection } from './targets.mjs';

/** The lines of a section whose results are present (made only then: they read the results). */
const when = (part, lines) => (part === undefined ? [] : lines());

export function render(data) {
  const { cycle, remotewrite, steady, relabel, identity } = data.results;
  const t = cycle ? cycleTables(cycle) : undefined;
  const cycles = cycle?.[0]?.perCycle.length ?? data.cycles ?? 9;
  const changed = Array.from({ length: cycles }, (_, i) => i + 1).filter((n) => n > 1 && (n - 1) % 3 === 0);
  const changedCycles = changed.length > 0 ? changed : ['none'];
  const wholeRefreshes = cycles >= 6 ? `cycles 4–${cycles - (cycles % 3)}` : 'none at this CYCLES';
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${data.date} in ` +
      `${data.minutes.toFixed(1)} minutes${data.commit ? ` at ${data.commit}` : ''}. ` +
      `Machine: ${data.machine}.`,
    '',
    'Every process is measured from outside and the same way (bench/proc.mjs): CPU from its own accounting',
    '(`/proc/<pid>/stat` utime + stime, in 10 ms ticks), memory from `/proc/<pid>/status` (VmRSS now, VmHWM the',
    'peak), response times with curl (`time_total`, body not decompressed) and load with wrk, each a separate',
    'process. The peers run one after the other against the same payload served by a process of its own, never',
    'at the same time. These machines are shared and noisy: read the ratios, not the absolute times.',
    '',
    'The upstream moves as Baseten’s does (bench/upstream-server.mjs, bench/moving-payload.mjs, from the demo',
    'simulator of src/demo): its data refreshes every 30 s while the bridge fetches every 10 s, so the body',
    'changes at every third request and repeats byte for byte in between; counters and histograms advance and',
    'gauges move at every refresh; with churn, that fraction of the deployments replaces its replicas at every',
    'refresh (new `replica` labels on the container and GPU families, new pod hashes on the LLM families, new',
    'engine series starting at 0). Every replica of an LLM deployment relays its engine’s families (vLLM or',
    'SGLang), so a deployment averages about 420 series: 13, 115 and 590 deployments make 5k, 50k and 250k',
    '(bench/payload.mjs `DEPLOYMENTS`; before the engines’ families it took 20, 200 and 1,000).',
    'The simulator’s clock moves two minutes per refresh (bench/moving-payload.mjs says why); what matters for',
    'the cost is that every third body is new and the others repeat it.',
    '"Bench time" is counted in requests, so Prometheus (scraping every 3 s, 6 s at 250k) sees the very same',
    'bodies in the same order as the bridge (interval 10 s). Every refresh is rendered before the first request.',
    '',
    'Run it: `npm run bench` (everything, this file and bench/results.json rewritten). Subsets, printed and',
    'the files left alone: `npm run bench -- cycle remotewrite` (sections: ' +
      'cycle, remotewrite, steady, relabel, identity),',
    '`CASES=590:0.001,115:0.01` (deployments:churn[:plain]; 590 deployments ≈ 250k series), `RW_CASES=590:0`,',
    '`CYCLES=9`, `RULES=3|10`, `STEADY_CYCLES=100`, `BENCH_QUICK=1` (5k and 50k), `BENCH_TARGETS=1` (only the',
    'cases issue 13’s targets read). `node bench/run.mjs --render` rewrites this file from bench/results.json.',
    'To see where a cycle’s CPU goes, not part of the run: `node bench/thread-cpu.mjs` splits each cycle of the',
    'bridge by thread (main, builder, V8’s platform workers, the rest); add `BRIDGE_NODE_ARGS=--trace-gc` to see',
    'the collections.',
    '',
    ...when(t, () => [
      '## A whole cycle and serving it, with churn',
      '',
      'Command: `CASES=… node bench/cycle.mjs` (part of `npm run bench`). The bridge is the built CLI',
      '(`node bin/baseten-bridge.js --config.file=… --web.listen-address=… --storage.path=…`, the key in',
      '`BASETEN_API_KEY`), a black box whatever engine src/snapshot/ holds, with `interval: 10s` (the shortest',
      'Baseten allows) and the three rules of bench/payload.mjs (`THREE_RULES`: a replace, a labeldrop, a drop);',
      'Prometheus 2.42 scrapes the same upstream with the same rules as `metric_relabel_configs`.',
      '',
      '### The payload',
      '',
      `What each case moved through: deployments that replaced their replicas at each refresh measured (the`,
      `changed bodies of cycles ${changedCycles.join(', ')}), and how many ` +
        `series of that refresh were not in the one before.`,
      '',
      t.payload,
      '',
      '### CPU per cycle',
      '',
      'A cycle is CPU between one request to the upstream and the next, the same for both (bridge: a whole',
      '10 s interval — fetch, build in the worker thread, swap, idle rest; Prometheus: a whole scrape interval).',
      `Cold: cycle 1. Steady: the median of cycles 2–${cycles}, changed and repeated bodies as they come (one in`,
      `three changed). Changed: the mean of the changed-body cycles alone (${changedCycles.join(', ')}). ` +
        `Mean: the mean of the`,
      `whole refreshes after the first (${wholeRefreshes}), what a cycle costs on average. Ratios are the bridge’s`,
      'figure over Prometheus’s of the same kind.',
      '',
      t.cpu,
      '',
      'Cycle by cycle (CPU seconds; cold, chg = changed body, rep = repeated body):',
      '',
      t.oneByOne,
      '',
      '### Memory',
      '',
      'Steady: VmRSS after the measured cycles. Peak: VmHWM, the high-water mark since the process started',
      '(the bridge’s includes its serving measurements; Prometheus’s is read before /federate, which holds its',
      'whole answer in memory). The last column is the bridge’s peak at 50k against the 256 MiB of issue 13.',
      '',
      t.memory,
      '',
      '### Serving',
      '',
      '`/metrics` (bridge) and `/federate?match[]={__name__=~".+"}` (Prometheus): median curl time of 10 requests',
      '(5 at 250k; /federate 5, 3 at 250k), in the quiet rest after a cycle. `/-/healthy`: a request every 20 ms',
      'from the benchmark through one changed-body and one repeated-body cycle after the measured ones (so no',
      'measured cycle carries the probes), and through the cold cycle of a second bridge started for it (from its',
      'first request until `/-/ready` answers 200); p99 and max of each. Scrapes/s: `wrk -t2 -c8 -d5s -H',
      "'Accept-Encoding: gzip'` on `/metrics`, 5k only.",
      '',
      t.serving,
      '',
    ]),
    ...when(remotewrite, () => [
      '## remote_write: the bridge beside vmagent and Prometheus in agent mode',
      '',
      'Command: `RW_CASES=… node bench/remote-write.mjs` (part of `npm run bench`). Three peers, one after the',
      'other, read the same moving upstream with the same three rules and push to the same receiver',
      '(`victoria-metrics` single binary on loopback): the bridge CLI with `remote_write: [{url}]` (its cycle is',
      'fetch + build + push), `vmagent -promscrape.maxScrapeSize=256MiB` (its default 16 MiB refuses the 48 MiB',
      'body; otherwise defaults, so it stream-parses bodies over 1 MB) and Prometheus 2.42 `--enable-feature=agent`,',
      'both scraping every 6 s at 250k (3 s below). CPU per cycle as above (scrape + push for vmagent and the',
      'agent). "Samples received" is the receiver’s `vm_rows_inserted_total` over the peer’s run, beside the',
      'peer’s requests to the upstream: each push should bring about one body’s series after the rules (the',
      'scrapers add their own `up` and `scrape_*` series; what a peer still held when it was stopped is missing).',
      '',
      ...(remotewrite ? [remoteWriteTable(remotewrite)] : []),
      '',
    ]),
    ...when(steady, () => [
      '## The steady state at 250k series: 100 cycles',
      '',
      'Command: `node bench/steady.mjs` (part of `npm run bench`). The hot path alone, as a target runs it (the',
      "bridge's upstream client with gzip, a repeated body not decompressed; the snapshot builder's worker thread;",
      'the body memory it lets go handed back for the next body; the snapshot store) in a process of its own',
      '(bench/builder-process.mjs), cycle after cycle with no interval between them, on the moving upstream with',
      'no churn and the ten rules; it uses dist/ directly, so it is skipped ' +
        'when that API changes. Its event-loop delay is sampled inside it',
      '(`monitorEventLoopDelay`, 10 ms resolution); CPU and RSS are read from /proc as above. "Warm" in the',
      'table is every cycle after the cold one. `npm run soak` runs the whole bridge through every upstream',
      'fault for 1,000 cycles at 5k.',
      '',
      ...(steady ? [steadyTable(steady)] : []),
      '',
    ]),
    ...when(relabel, () => [
      '## Relabeling: 250,000 series through 10 rules',
      '',
      'Command: `node bench/relabel.mjs` (part of `npm run bench`). The snapshot builder, where the rules run, in the',
      'benchmark process (process.cpuUsage), with the ten rules and with none, cold (an empty cache: every series',
      'relabeled once) and warm (the next body: cache hits), beside ' +
        "Prometheus's whole scrape with and without the rules.",
      '',
      ...(relabel ? [relabelTable(relabel)] : []),
      '',
    ]),
    ...when(identity, () => [
      '## Engine identity: its share of a changed cycle',
      '',
      'Command: `node bench/identity.mjs` (part of `npm run bench`). The snapshot builder in the benchmark process',
      '(process.cpuUsage) on the moving payload with its engine families, the same bodies with `engine_identity` on',
      "and off (medians of alternating runs), and a body in which one deployment's Baseten model was renamed.",
      '',
      ...(identity ? [identityTable(identity)] : []),
      '',
    ]),
    targetsSection(data.results),
    '',
  ].join('\n');
}
