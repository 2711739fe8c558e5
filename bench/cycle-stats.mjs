// One peer's cycles summarised the same way for every peer (bridge, Prometheus, vmagent): cycle n is the
// CPU between the peer's request n to the upstream and request n + 1, and its kind is the body it got
// (upstream.mjs kindOf: cold = the first, changed = a new refresh, repeated = the same bytes as before).
import { cpuSecondsOf, median, rssBytesOf } from './proc.mjs';
import { FETCHES_PER_REFRESH, kindOf } from './upstream.mjs';

const mean = (xs) => (xs.length > 0 ? xs.reduce((a, x) => a + x, 0) / xs.length : undefined);

/**
 * cold: cycle 1. steady: median of cycles 2…n (changed and repeated bodies as they come, one changed in
 * three). changed: mean of the changed-body cycles (only two or three of them, and with a churn below one
 * deployment per refresh not every one brings new series, so a median would show the cheaper one).
 * repeated: median of the repeated-body cycles. mean: mean of the whole refreshes after the first
 * (cycles 4…n when n is a multiple of 3): what the peer spends on average per fetch.
 */
export function cycleStats(perCycle) {
  const after = perCycle.filter((c) => c.n > 1);
  const of = (kind) => after.filter((c) => c.kind === kind).map((c) => c.cpu);
  const whole = perCycle.filter(
    (c) => c.n > FETCHES_PER_REFRESH && c.n <= FETCHES_PER_REFRESH * Math.floor(perCycle.length / FETCHES_PER_REFRESH),
  );
  return {
    cold: perCycle[0]?.cpu,
    steady: median(after.map((c) => c.cpu)),
    changed: mean(of('changed')),
    repeated: median(of('repeated')),
    mean: mean(whole.map((c) => c.cpu)),
  };
}

/**
 * Follows a scraping peer (process `pid`) through requests 1…cycles + 1 to `upstream`, reading its CPU the
 * moment each arrives; `alive` wraps each wait so a peer that dies fails the run instead of hanging it.
 * Returns the cycles (n, kind, cpu) and VmRSS after the last.
 */
export async function followCycles(upstream, pid, cycles, alive = (p) => p) {
  const cpuAt = [];
  for (let n = 1; n <= cycles + 1; n++) await alive(upstream.request(n, () => (cpuAt[n] = cpuSecondsOf(pid))));
  const perCycle = [];
  for (let n = 1; n <= cycles; n++) perCycle.push({ n, kind: kindOf(n), cpu: cpuAt[n + 1] - cpuAt[n] });
  return { perCycle, steadyRss: rssBytesOf(pid) };
}
