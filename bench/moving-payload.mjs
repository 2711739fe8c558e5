// The Baseten-shaped payload as it moves between refreshes, from the demo simulator's pure renderer
// (src/demo): counters and histograms advance at every refresh and gauges take new values; with `churn`,
// that fraction of the deployments replaces its replicas at every refresh — new `replica` labels on the
// container and GPU families, new pod hashes on the LLM families and new engine series (vLLM, SGLang)
// starting at 0, as a rollout or a rescheduled pod does on Baseten (BASETEN.md, Labels; ENGINES.md). Every
// other series keeps its labels, so what changes is exactly what the churn rate says.
import { buildFleet, renderBasetenExposition, replaceReplicas } from '../dist/demo/index.js';
import { BENCH_TIME_MS } from './payload.mjs';

/**
 * The data instant of refresh `k`. Each refresh moves the simulator's clock by two minutes rather than 30 s
 * so that every refresh falls in an even minute: the simulator shows the speculative-decoding families only
 * in even minutes (its stand-in for a family that comes and goes), and that flip would be churn of its own
 * in every other refresh. Values still move at every refresh; only the size of the step differs.
 */
export const DATA_STEP_MS = 120_000;

/** Series keys (everything before the value) of an exposition, for counting what a refresh made new. */
function seriesKeys(text) {
  const keys = new Set();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.charCodeAt(start) !== 35 /* # */ && end > start) keys.add(text.slice(start, text.lastIndexOf(' ', end)));
    start = end + 1;
  }
  return keys;
}

/**
 * Refresh after refresh of one organization of `deployments` deployments. `churn` is the fraction of
 * deployments that replace their replicas per refresh (0.001 = 0.1 %); fractional counts accumulate
 * (ceil of the running total), so 0.1 % of 200 deployments replaces one at refresh 1, then one every five.
 * Deployments are taken in a fixed stride through the fleet, so LLM, GPU and CPU ones all take their turn.
 */
export class MovingPayload {
  constructor(deployments, churn, { countNew = true } = {}) {
    this.fleet = buildFleet({ deployments, seed: 1, createdAtMs: BENCH_TIME_MS });
    this.churn = churn;
    this.countNew = countNew;
    this.refresh = -1;
    this.replacedSoFar = 0;
    this.keys = undefined;
  }

  /** The next refresh: its body, its series count, deployments replaced and series not in the previous one. */
  next() {
    this.refresh++;
    const k = this.refresh;
    const n = this.fleet.deployments.length;
    const atMs = BENCH_TIME_MS + k * DATA_STEP_MS;
    let replaced = 0;
    if (k > 0 && this.churn > 0 && n > 0) {
      const total = Math.ceil(this.churn * n * k - 1e-9);
      for (; this.replacedSoFar < total; this.replacedSoFar++, replaced++) {
        // The new replicas start at this refresh: their counters, the engine's too, begin at 0.
        replaceReplicas(
          this.fleet,
          this.fleet.deployments[(this.replacedSoFar * 7919) % n],
          this.replacedSoFar + 1,
          atMs,
        );
      }
    }
    const { text, series } = renderBasetenExposition(this.fleet, atMs);
    let newSeries;
    if (this.countNew) {
      const keys = seriesKeys(text);
      if (this.keys) {
        newSeries = 0;
        for (const key of keys) if (!this.keys.has(key)) newSeries++;
      }
      this.keys = keys;
    }
    return { refresh: k, text, series, replaced, newSeries };
  }

  /** Lets go of the last refresh's series keys (hundreds of MiB at 250k) once no refresh follows. */
  release() {
    this.keys = undefined;
  }
}
