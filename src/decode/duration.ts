/**
 * Durations in Prometheus syntax, as common/model.ParseDuration reads them: `30s`, `1m30s`, `1h`, `500ms`.
 * Units must come largest first, each at most once; `0` alone is allowed.
 */
const UNITS: ReadonlyArray<[unit: string, ms: number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds, or undefined when the text is not a Prometheus duration. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const match = DURATION_RE.exec(text);
  if (!match) return undefined;
  let total = 0;
  UNITS.forEach(([, ms], i) => {
    const part = match[i + 1];
    if (part !== undefined) total += Number(part) * ms;
  });
  return total;
}

/** The shortest Prometheus spelling of a duration, for summaries: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
