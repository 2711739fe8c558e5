/**
 * The last hour of fetch cycles as a small inline SVG: one bar per cycle at its time, successful ones as
 * tall as their duration relative to the slowest, failed ones full height in the failure colour. Colours come
 * from classes in the page's stylesheet (the CSP allows no inline styles); the summary is its accessible name.
 */
import type { CycleRecord } from './status-source.js';
import { html, type Html } from './html-template.js';
import { formatCount, formatDurationMs, formatUtc } from './status-format.js';

const WIDTH = 240;
const HEIGHT = 32;
const WINDOW_MS = 3_600_000;

export function historySummary(history: readonly CycleRecord[]): string {
  if (history.length === 0) return 'No fetches in the last hour yet.';
  const failed = history.filter((c) => !c.ok);
  const reasons = new Map<string, number>();
  for (const c of failed) reasons.set(c.reason ?? 'unknown', (reasons.get(c.reason ?? 'unknown') ?? 0) + 1);
  const byReason = [...reasons].map(([reason, n]) => `${reason} ×${n}`).join(', ');
  const slowest = Math.max(...history.map((c) => c.durationMs));
  const head =
    `Last hour: ${history.length} fetch${history.length === 1 ? '' : 'es'},` +
    ` ${history.length - failed.length} ok, ${failed.length} failed`;
  return `${head}${byReason ? ` (${byReason})` : ''}; slowest ${formatDurationMs(slowest)}.`;
}

function barTitle(c: CycleRecord): string {
  const what = c.ok
    ? `ok, ${formatDurationMs(c.durationMs)}`
    : `failed (${c.reason ?? 'unknown'}) after ${formatDurationMs(c.durationMs)}`;
  const series = c.seriesServed === undefined ? '' : `, ${formatCount(c.seriesServed)} series`;
  return `${formatUtc(c.atMs)}: ${what}${series}`;
}

export function sparkline(history: readonly CycleRecord[], nowMs: number): Html {
  const summary = historySummary(history);
  const start = nowMs - WINDOW_MS;
  const recent = history.filter((c) => c.atMs >= start && c.atMs <= nowMs);
  const slowest = Math.max(1, ...recent.filter((c) => c.ok).map((c) => c.durationMs));
  const bars = recent.map((c) => {
    const x = Math.min(WIDTH - 2, ((c.atMs - start) / WINDOW_MS) * WIDTH);
    const h = c.ok ? 4 + Math.round(((HEIGHT - 4) * Math.max(0, c.durationMs)) / slowest) : HEIGHT;
    return html`<rect class="${c.ok ? 'bar-ok' : 'bar-fail'}" x="${x.toFixed(1)}" y="${HEIGHT - h}" width="2" \
height="${h}"><title>${barTitle(c)}</title></rect>`;
  });
  return html`<figure class="spark">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${summary}"><rect \
class="spark-bg" x="0" y="0" width="${WIDTH}" height="${HEIGHT}"></rect>${bars}</svg>
<figcaption>${summary}</figcaption>
</figure>`;
}
