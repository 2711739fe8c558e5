#!/usr/bin/env node
// `npm run bench`: every benchmark, each beside the real peer (Prometheus 2.42) in the same run, then
// bench/RESULTS.md rewritten with the machine, the date, the commands and the tables.
//   npm run bench              all sections
//   npm run bench -- relabel   one section (relabel, cycle)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { cycleBench, cycleTable } from './cycle.mjs';
import { relabelBench, relabelTable } from './relabel.mjs';

const SECTIONS = {
  cycle: {
    title: 'A whole cycle and serving it, at 5k, 50k and 250k series',
    command: 'node bench/cycle.mjs',
    run: async () => {
      const rows = [];
      for (const deployments of [20, 200, 1000]) for (const gzip of [true, false]) rows.push(await cycleBench(deployments, gzip));
      return cycleTable(rows);
    },
  },
  relabel: {
    title: 'Relabeling: 250,000 series through 10 rules',
    command: 'node bench/relabel.mjs',
    run: async () => relabelTable(await relabelBench()),
  },
};

const wanted = process.argv.slice(2);
const chosen = Object.entries(SECTIONS).filter(([name]) => wanted.length === 0 || wanted.includes(name));
const prometheusVersion = (() => {
  try {
    return execFileSync('prometheus', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
  } catch {
    return 'not installed';
  }
})();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ${prometheusVersion}`;
const out = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}.`,
  'CPU times come from each process\'s own accounting (process.cpuUsage for the bridge, /proc/<pid>/stat for',
  'Prometheus), not wall clocks. These machines are noisy: read the ratios, not the absolute times.',
  '',
];
for (const [name, section] of chosen) {
  console.error(`bench: ${name} …`);
  const table = await section.run();
  console.log(`\n## ${section.title}\n\n${table}\n`);
  out.push(`## ${section.title}`, '', `Command: \`${section.command}\` (part of \`npm run bench\`).`, '', table, '');
}
if (wanted.length === 0) writeFileSync(new URL('./RESULTS.md', import.meta.url), `${out.join('\n')}\n`);
