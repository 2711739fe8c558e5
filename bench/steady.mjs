// The steady state at 250k series: one cold cycle, then 100 more back to back in a process of its own
// (builder-process.mjs), on the moving upstream with no churn (a new refresh every third fetch, so one body
// in three has new values). Resident memory after the first cycle after the cold one and after the 100th
// (flat means within 5 %), CPU per cycle averaged over all of them, and the event-loop delay during the
// cold cycle and the others.
//   node bench/steady.mjs        (DEPLOYMENTS=590, i.e. 250k series; CYCLES=100)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { DEPLOYMENTS } from './payload.mjs';
import { cpuSecondsOf, peakRssBytesOf, rssBytesOf } from './proc.mjs';
import { FETCHES_PER_REFRESH, startUpstream } from './upstream.mjs';

export async function steadyBench({
  deployments = Number(process.env.DEPLOYMENTS ?? DEPLOYMENTS['250k']),
  cycles = Number(process.env.CYCLES ?? 100),
  gzip = true,
} = {}) {
  const upstream = await startUpstream({
    deployments,
    gzip,
    churn: 0,
    refreshes: Math.ceil((cycles + 1) / FETCHES_PER_REFRESH) + 1,
    countNew: false,
  });
  const child = fork(new URL('./builder-process.mjs', import.meta.url), {
    env: { ...process.env, UPSTREAM_URL: upstream.url, CYCLES: String(cycles) },
  });
  const exited = once(child, 'exit');
  const out = { deployments, cycles, gzip, rss: [] };
  try {
    let cpuStart;
    let cpuAfterCold;
    let cpuAfterFirstWarm;
    for (;;) {
      const [msg] = await Promise.race([
        once(child, 'message'),
        exited.then(([code]) => Promise.reject(new Error(`builder-process exited (${code})`))),
      ]);
      if (msg.at === 'unavailable') {
        child.send({});
        console.error(`!!! steady: ${msg.message}: the section is SKIPPED`);
        return { ...out, skipped: msg.message };
      }
      const cpu = cpuSecondsOf(child.pid);
      const rss = rssBytesOf(child.pid);
      if (msg.at === 'start') cpuStart = cpu;
      if (msg.at === 'cold') {
        out.cold = cpu - cpuStart;
        out.coldLag = msg.lag;
        cpuAfterCold = cpu;
      }
      if (msg.at === 'warm') {
        out.rss.push([msg.cycle, rss]);
        if (msg.cycle === 1) {
          out.firstWarm = cpu - cpuAfterCold;
          cpuAfterFirstWarm = cpu;
          out.warmLag = { p99: 0, max: 0 };
        } else {
          out.warmMean = (cpu - cpuAfterFirstWarm) / (msg.cycle - 1);
          out.warmLag = { p99: Math.max(out.warmLag.p99, msg.lag.p99), max: Math.max(out.warmLag.max, msg.lag.max) };
        }
      }
      if (msg.at === 'done') {
        out.peakRss = peakRssBytesOf(child.pid);
        out.outputBytes = msg.bytes;
        out.rebuilt = msg.rebuilt;
        out.repeated = msg.repeated;
        child.send({});
        break;
      }
      child.send({});
    }
    await exited;
    out.rssFirst = out.rss[0][1];
    out.rssLast = out.rss.at(-1)[1];
    out.growth = out.rssLast / out.rssFirst - 1;
    return out;
  } finally {
    if (child.exitCode === null) child.kill();
    upstream.close();
  }
}

const mib = (x) => `${(x / 2 ** 20).toFixed(0)} MiB`;

export function steadyTable(r) {
  if (r.skipped) return `Skipped: ${r.skipped}.`;
  return [
    `${r.cycles} cycles after one cold one, upstream gzip ` +
      `${r.gzip ? 'on' : 'off'}, ${r.deployments} deployments, no churn; ` +
      `${r.rebuilt ?? 'n/a'} of them with series to parse (cache misses), ` +
      `${r.repeated ?? 'n/a'} with a repeated body (not decompressed, not built).`,
    '',
    '| cold cycle CPU | first warm cycle CPU | mean warm cycle CPU | RSS after warm cycle 1 | ' +
      `RSS after warm cycle ${r.cycles} | growth | peak RSS | event-loop delay, cold cycle (p99 / max) | ` +
      'event-loop delay, warm cycles (worst p99 / max) |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${r.cold.toFixed(3)} s | ${r.firstWarm.toFixed(3)} s | ` +
      `${r.warmMean === undefined ? 'n/a' : `${r.warmMean.toFixed(3)} s`} | ${mib(r.rssFirst)} | ${mib(r.rssLast)} | ` +
      `${(r.growth * 100).toFixed(1)} % | ${mib(r.peakRss)} | ` +
      `${r.coldLag.p99.toFixed(1)} ms / ${r.coldLag.max.toFixed(1)} ms | ` +
      `${r.warmLag.p99.toFixed(1)} ms / ${r.warmLag.max.toFixed(1)} ms |`,
    '',
    `RSS along the way (after warm cycle n): ${r.rss.map(([n, b]) => `${n}: ${mib(b)}`).join(', ')}.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(steadyTable(await steadyBench()));
}
