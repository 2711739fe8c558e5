#!/usr/bin/env node
// `npm run bench`: every benchmark, each beside its real peer in the same run (Prometheus 2.42; vmagent and
// Prometheus in agent mode for remote_write), then bench/RESULTS.md rewritten with the machine, the date,
// the total time, the commands, the tables and the targets of issue 13 (met or not; a gap note for each
// miss, from targets.mjs). The raw numbers go to bench/results.json, from which `--render` rewrites
// RESULTS.md without measuring again. The upstream moves as Baseten's does (upstream-server.mjs): a refresh
// every third fetch, counters advancing, and a given fraction of deployments replacing their replicas.
//
//   npm run bench                      everything (35 minutes on 2 shared cores with the engine of 2026-12;
//                                      the bridge's 10 s interval alone makes each case 2 minutes or more)
//   npm run bench -- cycle remotewrite one or more sections (cycle, remotewrite, steady, relabel, identity): printed,
//                                      RESULTS.md and results.json are left alone
//   BENCH_QUICK=1 npm run bench        a smoke run at 5k and 50k (printed, files left alone)
//   BENCH_TARGETS=1 npm run bench      only what issue 13's targets read: cycle at 50k 1 % and 250k 0/0.1/1 %,
//                                      remote_write at 250k without churn (about 20 minutes; files left alone)
//   node bench/run.mjs --render        RESULTS.md from bench/results.json
// Subsets and sizes (any of these also leaves the files alone):
//   CASES=590:0.001,115:0.01           cycle cases, deployments:churn[:plain] (plain = upstream gzip off);
//                                      590 deployments ≈ 250k series, 115 ≈ 50k, 13 ≈ 5k (payload.mjs
//                                      DEPLOYMENTS); churn 0.001 = 0.1 %
//   RW_CASES=590:0                     remote_write cases
//   CYCLES=9                           measured cycles per peer (a multiple of 3: one changed body in three)
//   RULES=3                            relabel rules of the cycle and remote_write cases (3 or 10)
//   STEADY_CYCLES=100                  cycles of the steady section
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cycleBench, parseCase } from './cycle.mjs';
import { identityBench } from './identity.mjs';
import { DEPLOYMENTS } from './payload.mjs';
import { relabelBench } from './relabel.mjs';
import { remoteWriteBench } from './remote-write.mjs';
import { render } from './results-page.mjs';
import { steadyBench } from './steady.mjs';
import { victoriaVersion } from './victoria-peer.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const TARGETS_ONLY = process.env.BENCH_TARGETS === '1';
const PRESET = QUICK ? 'quick' : TARGETS_ONLY ? 'targets' : 'full';
const { '5k': D5K, '50k': D50K, '250k': D250K } = DEPLOYMENTS;
const PRESET_CASES = {
  full: `${D5K}:0,${D50K}:0,${D50K}:0.001,${D50K}:0.01,${D250K}:0,${D250K}:0.001,${D250K}:0.01`,
  quick: `${D5K}:0,${D50K}:0,${D50K}:0.01`,
  targets: `${D50K}:0.01,${D250K}:0,${D250K}:0.001,${D250K}:0.01`,
};
const PRESET_RW_CASES = { full: `${D250K}:0,${D250K}:0.001`, quick: `${D50K}:0`, targets: `${D250K}:0` };
const CASES = process.env.CASES ?? PRESET_CASES[PRESET];
const RW_CASES = process.env.RW_CASES ?? PRESET_RW_CASES[PRESET];
const CYCLES = Number(process.env.CYCLES ?? 9);
const RULES = Number(process.env.RULES ?? 3);
const OVERRIDES = ['CASES', 'RW_CASES', 'CYCLES', 'RULES', 'STEADY_CYCLES', 'DEPLOYMENTS'].filter(
  (k) => process.env[k] !== undefined,
);
const RESULTS_JSON = new URL('./results.json', import.meta.url);
const RESULTS_MD = new URL('./RESULTS.md', import.meta.url);

const SECTIONS = {
  cycle: async () => {
    const rows = [];
    for (const c of CASES.split(',').map(parseCase))
      rows.push(await cycleBench({ ...c, rules: RULES, cycles: CYCLES }));
    return rows;
  },
  remotewrite: async () => {
    const rows = [];
    for (const c of RW_CASES.split(',').map(parseCase))
      rows.push(await remoteWriteBench({ ...c, rules: RULES, cycles: CYCLES }));
    return rows;
  },
  steady: async () =>
    steadyBench(QUICK ? { deployments: D50K, cycles: 10 } : { cycles: Number(process.env.STEADY_CYCLES ?? 100) }),
  relabel: async () => relabelBench(QUICK ? { deployments: D50K } : {}),
  identity: async () => identityBench(QUICK ? { deployments: D50K } : {}),
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
  return (
    `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ` +
    `${os.release()}, Node ${process.version}; ` +
    `${version('prometheus', ['--version'])}; victoria-metrics and vmagent ` +
    `${victoriaVersion()}; ${version('wrk', ['--version']).trim()}`
  );
}

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
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
for (const name of wanted)
  if (!SECTIONS[name]) throw new Error(`unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
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
const data = {
  date: new Date().toISOString().slice(0, 10),
  minutes,
  commit: commit(),
  machine: machine(),
  preset: PRESET,
  cycles: CYCLES,
  results,
};
if (args.length === 0 && PRESET === 'full' && OVERRIDES.length === 0) {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(data, null, 1)}\n`);
  writeFileSync(RESULTS_MD, render(data));
  console.error('bench: wrote bench/RESULTS.md and bench/results.json');
} else {
  console.log(render(data));
  if (OVERRIDES.length > 0)
    console.error(`bench: ${OVERRIDES.join(', ')} set: bench/RESULTS.md and bench/results.json left alone`);
}
console.error(`bench: total ${minutes.toFixed(1)} minutes`);
