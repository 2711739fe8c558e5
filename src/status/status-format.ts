/**
 * Numbers as the status page shows them to people: short durations, binary byte units, grouped counts and
 * UTC times. Every function is pure and total (a NaN or negative input still gives readable text).
 */

/** `850 ms`, `12 s`, `4 m 5 s`, `2 h 3 m`, `3 d 4 h`. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (Math.abs(s) < 60) return `${s} s`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  const sign = s < 0 ? '-' : '';
  const t = Math.abs(s);
  if (t < 3600) return sign + pair(Math.floor(t / 60), 'm', t % 60, 's');
  if (t < 86_400) return sign + pair(Math.floor(t / 3600), 'h', Math.floor((t % 3600) / 60), 'm');
  return sign + pair(Math.floor(t / 86_400), 'd', Math.floor((t % 86_400) / 3600), 'h');
}

/** `512 B`, `1.5 KiB`, `64.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `1,234,567`: the same grouping in every locale, so tests and screenshots read alike. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'unknown';
}

/** `2026-01-31 14:03:12 UTC`. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `12 s ago` or `in 3 s`, relative to `nowMs`. */
export function formatRelative(ms: number, nowMs: number): string {
  const delta = ms - nowMs;
  if (Math.abs(delta) < 500) return 'now';
  return delta < 0 ? `${formatDurationMs(-delta)} ago` : `in ${formatDurationMs(delta)}`;
}
