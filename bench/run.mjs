#!/usr/bin/env node
// `npm run bench`: every benchmark, each beside its real peer in the same run (Prometheus 2.42; vmagent and
// Prometheus in agent mode for remote_write), then bench/RESULTS.md rewritten with the machine, the date,
// the total time, the commands, the tables and the targets of issue 13 (met or not; a gap note for each
// miss, from targets.mjs). The raw numbers go to bench/results.json, from which `--render` rewrites
// RESULTS.md without measuring again. The upstream moves as Baseten's does (upstream-server.mjs): a refresh
// every third fetch, counters advancing, and a given fraction of deployments replacing their replicas.
//
//   npm run bench                      everything (about 40 minutes on 2 cores with the engine of 2026-12;
//                                      the bridge's 10 s interval alone makes each case 2 minutes or more)
//   npm run bench -- cycle remotewrite one or more sections (cycle, remotewrite, steady, relabel): printed,
//                                      RESULTS.md and results.json are left alone
//   BENCH_QUICK=1 npm run bench        a smoke run at 5k and 50k (printed, files left alone)
//   BENCH_TARGETS=1 npm run bench      only what issue 13's targets read: cycle at 50k 1 % and 250k 0/0.1/1 %,
//                                      remote_write at 250k without churn (about 25 minutes; files left alone)
//   node bench/run.mjs --render        RESULTS.md from bench/results.json
// Subsets and sizes (any of these also leaves the files alone):
//   CASES=1000:0.001,200:0.01          cycle cases, deployments:churn[:plain] (plain = upstream gzip off);
//                                      1,000 deployments ≈ 250k series, 200 ≈ 50k, 20 ≈ 5k; churn 0.001 = 0.1 %
//   RW_CASES=1000:0                    remote_write cases
//   CYCLES=9                           measured cycles per peer (a multiple of 3: one changed body in three)
//   RULES=3                            relabel rules of the cycle and remote_write cases (3 or 10)
//   STEADY_CYCLES=100                  cycles of the steady section
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cycleBench, parseCase } from './cycle.mjs';
import { cycleTables } from './cycle-tables.mjs';
import { relabelBench, relabelTable } from './relabel.mjs';
import { remoteWriteBench, remoteWriteTable } from './remote-write.mjs';
import { steadyBench, steadyTable } from './steady.mjs';
import { targetsSection } from './targets.mjs';
import { victoriaVersion } from './victoria-peer.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const TARGETS_ONLY = process.env.BENCH_TARGETS === '1';
const PRESET = QUICK ? 'quick' : TARGETS_ONLY ? 'targets' : 'full';
const PRESET_CASES = { full: '20:0,200:0,200:0.001,200:0.01,1000:0,1000:0.001,1000:0.01', quick: '20:0,200:0,200:0.01', targets: '200:0.01,1000:0,1000:0.001,1000:0.01' };
const PRESET_RW_CASES = { full: '1000:0,1000:0.001', quick: '200:0', targets: '1000:0' };
const CASES = process.env.CASES ?? PRESET_CASES[PRESET];
const RW_CASES = process.env.RW_CASES ?? PRESET_RW_CASES[PRESET];
const CYCLES = Number(process.env.CYCLES ?? 9);
const RULES = Number(process.env.RULES ?? 3);
const OVERRIDES = ['CASES', 'RW_CASES', 'CYCLES', 'RULES', 'STEADY_CYCLES', 'DEPLOYMENTS'].filter((k) => process.env[k] !== undefined);
const RESULTS_JSON = new URL('./results.json', import.meta.url);
const RESULTS_MD = new URL('./RESULTS.md', import.meta.url);

const SECTIONS = {
  cycle: async () => {
    const rows = [];
    for (const c of CASES.split(',').map(parseCase)) rows.push(await cycleBench({ ...c, rules: RULES, cycles: CYCLES }));
    return rows;
  },
  remotewrite: async () => {
    const rows = [];
    for (const c of RW_CASES.split(',').map(parseCase)) rows.push(await remoteWriteBench({ ...c, rules: RULES, cycles: CYCLES }));
    return rows;
  },
  steady: async () => steadyBench(QUICK ? { deployments: 200, cycles: 10 } : { cycles: Number(process.env.STEADY_CYCLES ?? 100) }),
  relabel: async () => relabelBench(QUICK ? { deployments: 200 } : {}),
};

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
  } catch (err) {
    // wrk --version exits 1 after printing its version
    return String(err.stdout ?? '').split('\n')[0] || 'not installed';
  }
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ${version('prometheus', ['--version'])}; victoria-metrics and vmagent ${victoriaVersion()}; ${version('wrk', ['--version']).trim()}`;
}

const when = (part, lines) => (part === undefined ? [] : lines);

function render(data) {
  const { cycle, remotewrite, steady, relabel } = data.results;
  const t = cycle ? cycleTables(cycle) : undefined;
  const cycles = cycle?.[0]?.perCycle.length ?? CYCLES;
  const changed = Array.from({ length: cycles }, (_, i) => i + 1).filter((n) => n > 1 && (n - 1) % 3 === 0);
  const changedCycles = changed.length > 0 ? changed : ['none'];
  const wholeRefreshes = cycles >= 6 ? `cycles 4–${cycles - (cycles % 3)}` : 'none at this CYCLES';
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${data.date} in ${data.minutes.toFixed(1)} minutes${data.commit ? ` at ${data.commit}` : ''}. Machine: ${data.machine}.`,
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
    'refresh (new `replica` labels on the container and GPU families, new pod hashes on the LLM families).',
    '"Bench time" is counted in requests, so Prometheus (scraping every 3 s, 6 s at 250k) sees the very same',
    'bodies in the same order as the bridge (interval 10 s). Every refresh is rendered before the first request.',
    '',
    'Run it: `npm run bench` (everything, this file and bench/results.json rewritten). Subsets, printed and',
    'the files left alone: `npm run bench -- cycle remotewrite` (sections: cycle, remotewrite, steady, relabel),',
    '`CASES=1000:0.001,200:0.01` (deployments:churn[:plain]; 1,000 deployments ≈ 250k series), `RW_CASES=1000:0`,',
    '`CYCLES=9`, `RULES=3|10`, `STEADY_CYCLES=100`, `BENCH_QUICK=1` (5k and 50k), `BENCH_TARGETS=1` (only the',
    'cases issue 13’s targets read). `node bench/run.mjs --render` rewrites this file from bench/results.json.',
    '',
    ...when(t, [
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
      `changed bodies of cycles ${changedCycles.join(', ')}), and how many series of that refresh were not in the one before.`,
      '',
      t.payload,
      '',
      '### CPU per cycle',
      '',
      'A cycle is CPU between one request to the upstream and the next, the same for both (bridge: a whole',
      '10 s interval — fetch, build in the worker thread, swap, idle rest; Prometheus: a whole scrape interval).',
      `Cold: cycle 1. Steady: the median of cycles 2–${cycles}, changed and repeated bodies as they come (one in`,
      `three changed). Changed: the median of the changed-body cycles alone (${changedCycles.join(', ')}). Mean: the mean of the`,
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
      'from the benchmark during the cold cycle, then (after the measured cycles, so they do not load them)',
      'during one changed-body and one repeated-body cycle; p99 and max of each. Scrapes/s: `wrk -t2 -c8 -d5s -H',
      '\'Accept-Encoding: gzip\'` on `/metrics`, 5k only.',
      '',
      t.serving,
      '',
    ]),
    ...when(remotewrite, [
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
      remoteWriteTable(remotewrite),
      '',
    ]),
    ...when(steady, [
      '## The steady state at 250k series: 100 cycles',
      '',
      'Command: `node bench/steady.mjs` (part of `npm run bench`). The hot path alone (fetch with gzip, the snapshot',
      "builder's worker thread, the snapshot store) in a process of its own (bench/builder-process.mjs), cycle",
      'after cycle with no interval between them, on the moving upstream with no churn and the ten rules; it uses',
      'dist/snapshot/ directly, so it is skipped when that API changes. Its event-loop delay is sampled inside it',
      '(`monitorEventLoopDelay`, 10 ms resolution); CPU and RSS are read from /proc as above. "Warm" in the',
      'table is every cycle after the cold one. `npm run soak` runs the whole bridge through every upstream',
      'fault for 1,000 cycles at 5k.',
      '',
      steadyTable(steady),
      '',
    ]),
    ...when(relabel, [
      '## Relabeling: 250,000 series through 10 rules',
      '',
      'Command: `node bench/relabel.mjs` (part of `npm run bench`). The relabel step alone, in the benchmark process',
      "(process.cpuUsage), beside Prometheus's whole scrape with and without the rules.",
      '',
      relabelTable(relabel),
      '',
    ]),
    targetsSection(data.results),
    '',
  ].join('\n');
}

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const args = process.argv.slice(2);
if (args.includes('--render')) {
  writeFileSync(RESULTS_MD, render(JSON.parse(readFileSync(RESULTS_JSON, 'utf8'))));
  process.exit(0);
}
const wanted = args.length > 0 ? args : TARGETS_ONLY ? ['cycle', 'remotewrite'] : Object.keys(SECTIONS);
for (const name of wanted) if (!SECTIONS[name]) throw new Error(`unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
const started = Date.now();
const results = {};
for (const name of wanted) {
  const t0 = Date.now();
  console.error(`bench: ${name} …`);
  results[name] = await SECTIONS[name]();
  console.error(JSON.stringify(results[name]));
  console.error(`bench: ${name} took ${((Date.now() - t0) / 60_000).toFixed(1)} minutes`);
}
const minutes = (Date.now() - started) / 60_000;
const data = { date: new Date().toISOString().slice(0, 10), minutes, commit: commit(), machine: machine(), preset: PRESET, results };
if (args.length === 0 && PRESET === 'full' && OVERRIDES.length === 0) {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(data, null, 1)}\n`);
  writeFileSync(RESULTS_MD, render(data));
  console.error('bench: wrote bench/RESULTS.md and bench/results.json');
} else {
  console.log(render(data));
  if (OVERRIDES.length > 0) console.error(`bench: ${OVERRIDES.join(', ')} set: bench/RESULTS.md and bench/results.json left alone`);
}
console.error(`bench: total ${minutes.toFixed(1)} minutes`);
