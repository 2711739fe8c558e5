#!/usr/bin/env node
// `npm run bench`: every benchmark, each beside the real peer (Prometheus 2.42) in the same run, then
// bench/RESULTS.md rewritten with the machine, the date, the commands, the tables and the targets of issue 7
// (met or not, and for each gap its cause and the next step, from targets.mjs). The raw numbers go to
// bench/results.json, from which `--render` rewrites RESULTS.md without measuring again.
//   npm run bench                     all sections (about 12 minutes on 2 cores)
//   npm run bench -- cycle            one or more sections (cycle, steady, relabel); RESULTS.md is left alone
//   BENCH_QUICK=1 npm run bench       5k and 50k only, 10 warm cycles: a smoke run, RESULTS.md is left alone
//   node bench/run.mjs --render       RESULTS.md from bench/results.json
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cycleBench, cycleTables } from './cycle.mjs';
import { relabelBench, relabelTable } from './relabel.mjs';
import { steadyBench, steadyTable } from './steady.mjs';
import { targetsSection } from './targets.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK ? [20, 200] : [20, 200, 1000];
const RESULTS_JSON = new URL('./results.json', import.meta.url);
const RESULTS_MD = new URL('./RESULTS.md', import.meta.url);

const SECTIONS = {
  cycle: async () => {
    const rows = [];
    for (const deployments of SIZES) for (const gzip of [true, false]) rows.push(await cycleBench(deployments, gzip));
    return rows;
  },
  steady: async () => steadyBench(QUICK ? { deployments: 200, cycles: 10 } : {}),
  relabel: async () => relabelBench(QUICK ? { deployments: 200 } : {}),
};

function machine() {
  let prometheus = 'not installed';
  let wrk = 'not installed';
  try {
    prometheus = execFileSync('prometheus', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
  } catch {
    // reported as not installed
  }
  try {
    wrk = execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
  } catch (err) {
    // wrk --version exits 1 after printing its version
    wrk = String(err.stdout ?? '').split('\n')[0] || wrk;
  }
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ${prometheus}; ${wrk.trim()}`;
}

function render(data) {
  const { cycle, steady, relabel } = data.results;
  const t = cycleTables(cycle);
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${data.date} (${data.minutes.toFixed(1)} minutes). Machine: ${data.machine}.`,
    '',
    'Every process is measured from outside and the same way (bench/proc.mjs): CPU from its own accounting',
    '(`/proc/<pid>/stat` utime + stime), memory from `/proc/<pid>/status` (VmRSS now, VmHWM the peak), response',
    'times with curl (`time_total`, body not decompressed) and load with wrk, each a separate process. The bridge',
    'and Prometheus run one after the other against the same payload served by a third process, never at the',
    'same time. These machines are noisy: read the ratios, not the absolute times.',
    '',
    '## A whole cycle and serving it, at 5k, 50k and 250k series',
    '',
    'Command: `node bench/cycle.mjs` (part of `npm run bench`). The bridge is the built CLI',
    '(`node bin/baseten-bridge.js --config.file=… --web.listen-address=… --storage.path=…`, the key in',
    '`BASETEN_API_KEY`) with the ten rules of bench/payload.mjs and `interval: 10s` (the shortest Baseten allows);',
    'Prometheus 2.42 scrapes the same URL with the same rules as `metric_relabel_configs` every 3 s (6 s at 250k).',
    '',
    '### CPU per cycle',
    '',
    'Bridge: CPU between one request to the upstream and the next, so a cycle is a whole 10 s interval (fetch,',
    'build in the worker thread, swap, idle rest); cold is the first, warm the median of the next three.',
    'Prometheus: CPU over four scrapes after two, divided by four (a whole 3 s or 6 s interval each).',
    '',
    t.cpu,
    '',
    '### Memory',
    '',
    'Steady: VmRSS after the warm cycles (bridge) or the measured scrapes (Prometheus). Peak: VmHWM, the',
    "process's high-water mark since it started (for the bridge, the cold cycle).",
    '',
    t.memory,
    '',
    '### Serving',
    '',
    '`/metrics` (bridge) and `/federate?match[]={__name__=~".+"}` (Prometheus): median curl time of 10 requests',
    '(5 at 250k; /federate 5, 3 at 250k). `/-/healthy`: requests every 20 ms from the benchmark while the bridge',
    'builds a warm cycle. Scrapes/s: `wrk -t2 -c8 -d5s -H \'Accept-Encoding: gzip\'` on `/metrics`, 5k only.',
    '',
    t.serving,
    '',
    '## The steady state at 250k series: 100 warm cycles',
    '',
    'Command: `node bench/steady.mjs` (part of `npm run bench`). The hot path alone (fetch with gzip, the snapshot',
    "builder's worker thread, the snapshot store) in a process of its own (bench/builder-process.mjs), cycle",
    'after cycle with no interval between them. Its event-loop delay is sampled inside it (`monitorEventLoopDelay`,',
    '10 ms resolution); CPU and RSS are read from /proc as above. `npm run soak` runs the whole bridge through',
    'every upstream fault for 1,000 cycles at 5k.',
    '',
    steadyTable(steady),
    '',
    '## Relabeling: 250,000 series through 10 rules',
    '',
    'Command: `node bench/relabel.mjs` (part of `npm run bench`). The relabel step alone, in the benchmark process',
    "(process.cpuUsage), beside Prometheus's whole scrape with and without the rules.",
    '',
    relabelTable(relabel),
    '',
    targetsSection(data.results),
    '',
  ].join('\n');
}

const args = process.argv.slice(2);
if (args.includes('--render')) {
  writeFileSync(RESULTS_MD, render(JSON.parse(readFileSync(RESULTS_JSON, 'utf8'))));
  process.exit(0);
}
const wanted = args.length > 0 ? args : Object.keys(SECTIONS);
const started = Date.now();
const results = {};
for (const name of wanted) {
  if (!SECTIONS[name]) throw new Error(`unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
  console.error(`bench: ${name} …`);
  results[name] = await SECTIONS[name]();
  console.error(JSON.stringify(results[name]));
}
const data = { date: new Date().toISOString().slice(0, 10), minutes: (Date.now() - started) / 60_000, machine: machine(), quick: QUICK, results };
if (args.length === 0 && !QUICK) {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(data, null, 1)}\n`);
  writeFileSync(RESULTS_MD, render(data));
  console.error('bench: wrote bench/RESULTS.md and bench/results.json');
} else if (args.length === 0) {
  console.log(render(data));
}
