/**
 * Multi-window, multi-burn-rate alerting as the Google SRE workbook's "Alerting on SLOs" chapter recommends
 * (table 5-8 there): each alert needs a long window (is the budget really burning?) and a short window, 1/12
 * of it (is it still burning?), so that it fires fast on a big burn and stops soon after the burn ends.
 *
 * The workbook's burn rates (14.4, 6, 3, 1) are for a 30-day SLO; here they come from the share of the budget
 * each pair may spend (2 %, 5 %, 10 %, 10 %), so other SLO windows get the burn rates that mean the same.
 */
export type Severity = 'page' | 'ticket';

export interface BurnWindow {
  severity: Severity;
  longMs: number;
  shortMs: number;
  /** Share of the whole error budget spent in `longMs` at this burn rate. */
  budgetShare: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const BURN_WINDOWS: readonly BurnWindow[] = [
  { severity: 'page', longMs: 1 * HOUR, shortMs: 5 * MINUTE, budgetShare: 0.02 },
  { severity: 'page', longMs: 6 * HOUR, shortMs: 30 * MINUTE, budgetShare: 0.05 },
  { severity: 'ticket', longMs: 24 * HOUR, shortMs: 2 * HOUR, budgetShare: 0.1 },
  { severity: 'ticket', longMs: 72 * HOUR, shortMs: 6 * HOUR, budgetShare: 0.1 },
];

/** How many times faster than "exactly on budget" the errors must arrive for this pair to fire. */
export function burnRate(window: BurnWindow, sloWindowMs: number): number {
  return Number(((window.budgetShare * sloWindowMs) / window.longMs).toFixed(4));
}

/** Every distinct window a rule set needs recorded, shortest first. */
export function recordedWindows(): number[] {
  return [...new Set(BURN_WINDOWS.flatMap((w) => [w.longMs, w.shortMs]))].sort((a, b) => a - b);
}

/**
 * `5m`, `1h`, `1d`, `30d`: the Prometheus spelling in days, hours and minutes (never weeks: `30d`, not
 * `4w2d`), also used in recorded series names (`ratio_rate5m`).
 */
export function windowName(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 24 * HOUR],
    ['h', HOUR],
    ['m', MINUTE],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 0) parts.push(`${rest / 1000}s`);
  return parts.join('') || '0s';
}

/**
 * A problem when the objective is so loose that the fastest burn-rate threshold is at or above 100 %: that
 * alert could never fire. Undefined when the objective works.
 */
export function unalertableObjective(objective: number, sloWindowMs: number): string | undefined {
  const fastest = Math.max(...BURN_WINDOWS.map((w) => burnRate(w, sloWindowMs)));
  if (fastest * (1 - objective) < 1) return undefined;
  const minimum = Math.ceil((1 - 1 / fastest) * 10_000) / 100;
  return (
    `${Number((objective * 100).toPrecision(10))} leaves so much error ` +
    `budget that the ${fastest}x fast-burn alert could never fire; use at least ${minimum}`
  );
}
