/**
 * The Targets section: per upstream, whether Baseten answered, when, with what, how much of the rate budget
 * the last minute used and how old the served data is against max staleness. Up and down are said in words,
 * not only in colour.
 */
import { html, type Html, type HtmlPart } from './html-template.js';
import { formatBytes, formatCount, formatDurationMs, formatRelative, formatUtc } from './status-format.js';
import { sparkline } from './status-sparkline.js';
import type { TargetStatus } from './status-source.js';

function fact(term: string, ...detail: HtmlPart[]): Html {
  return html`<div class="fact"><dt>${term}</dt><dd>${detail}</dd></div>`;
}

function when(ms: number | undefined, nowMs: number, never: string): Html {
  if (ms === undefined) return html`${never}`;
  return html`${formatRelative(ms, nowMs)} <time class="sub" \
datetime="${new Date(ms).toISOString()}">${formatUtc(ms)}</time>`;
}

function age(t: TargetStatus): Html {
  if (t.dataAgeSeconds === undefined)
    return html`no data yet <span class="sub">(limit ${formatDurationMs(t.maxStalenessSeconds * 1000)})</span>`;
  const max = Math.max(t.maxStalenessSeconds, 1);
  return html`${formatDurationMs(t.dataAgeSeconds * 1000)} <span \
class="sub">of ${formatDurationMs(t.maxStalenessSeconds * 1000)} allowed</span>
<meter min="0" max="${max}" low="${max / 2}" high="${max * 0.8}" optimum="0" \
value="${Math.min(t.dataAgeSeconds, max)}" aria-label="Data age against max staleness"></meter>`;
}

function budget(t: TargetStatus): Html {
  const limit = Math.max(t.budgetLimit, 1);
  return html`${t.budgetUsed} of ${t.budgetLimit} requests
<meter min="0" max="${limit}" high="${limit - 0.5}" optimum="0" value="${Math.min(t.budgetUsed, limit)}" \
aria-label="Rate budget used in the last minute"></meter>`;
}

function lastFetch(t: TargetStatus): HtmlPart {
  const parts = [
    t.lastDurationMs === undefined ? undefined : formatDurationMs(t.lastDurationMs),
    t.lastResponseBytes === undefined ? undefined : formatBytes(t.lastResponseBytes),
  ];
  const shown = parts.filter((p): p is string => p !== undefined);
  return shown.length === 0 ? 'none yet' : shown.join(', ');
}

function series(t: TargetStatus): HtmlPart {
  if (t.seriesScraped === undefined && t.seriesServed === undefined) return 'none yet';
  return html`${t.seriesScraped === undefined ? '?' : formatCount(t.seriesScraped)} scraped \
→ ${t.seriesServed === undefined ? '?' : formatCount(t.seriesServed)} served`;
}

function lastError(t: TargetStatus, nowMs: number): HtmlPart {
  if (!t.lastError) return 'none';
  const e = t.lastError;
  return html`<span class="reason">${e.reason}</span>: <span class="message">${e.message}</span> <span \
class="sub">${formatRelative(e.atMs, nowMs)}</span>`;
}

/** The words for why the next fetch is due when it is (upstream/backoff.ts NEXT_ATTEMPT_REASONS). */
const NEXT_FETCH_WHY: Record<string, string> = {
  interval: 'the interval',
  quick_retry: 'one quick retry after a failure',
  retry_after: "Baseten's Retry-After",
  rate_limited_backoff: 'backing off after 429s',
  budget: 'the rate budget is used up',
};

function nextFetch(t: TargetStatus, nowMs: number): HtmlPart {
  const at = when(t.nextFetchMs, nowMs, 'not scheduled');
  if (t.nextFetchMs === undefined || t.nextFetchReason === undefined) return at;
  return html`${at} <span class="sub">(${NEXT_FETCH_WHY[t.nextFetchReason] ?? t.nextFetchReason})</span>`;
}

/** Engine series served as they came: their deployment had no platform series in the last fetch. */
function withoutIdentity(u: { series: number; deployments: string[] }): Html {
  const shown = u.deployments.slice(0, 20).map((d) => (d === '' ? '(no deployment_id)' : d));
  const more = u.deployments.length > shown.length ? ` and ${u.deployments.length - shown.length} more` : '';
  return html`<p class="warning" role="status"><strong>Engine series without a Baseten \
model:</strong> ${formatCount(u.series)} series of deployment(s) ${shown.join(', ')}${more} had no platform series of \
their deployment in the last fetch, so no model_id or model_name was attached: they are served as Baseten sent \
them.</p>`;
}

function target(t: TargetStatus, i: number, nowMs: number): Html {
  const id = `target-${i}`;
  return html`<article class="target ${t.up ? 'is-up' : 'is-down'}" aria-labelledby="${id}">
<header class="target-head"><h3 id="${id}">${t.name}</h3> <span \
class="badge ${t.up ? 'up' : 'down'}">${t.up ? 'Up' : 'Down'}</span>
<span class="url">${t.url}</span></header>
<dl class="facts">
${fact('Last success', when(t.lastSuccessMs, nowMs, 'never'))}
${fact('Data age', age(t))}
${fact('Next fetch', nextFetch(t, nowMs))}
${fact('Budget, last minute', budget(t))}
${fact('Last fetch', lastFetch(t))}
${fact('Series', series(t))}
${fact('Last error', lastError(t, nowMs))}
</dl>
${
  t.servedNothing === undefined
    ? ''
    : html`<p class="warning" role="status"><strong>Serves no \
series:</strong> ${t.servedNothing}</p>`
}
${t.engineWithoutIdentity === undefined ? '' : withoutIdentity(t.engineWithoutIdentity)}
${sparkline(t.history, nowMs)}
</article>`;
}

export function targetsSection(targets: readonly TargetStatus[], nowMs: number): Html {
  return html`<section id="targets" aria-labelledby="targets-h">
<h2 id="targets-h">Targets</h2>
${
  targets.length === 0
    ? html`<p>No target of the config falls in this replica's shard: it is ready and serves only \
the bridge's own metrics. <code>check-config --shard=i/n</code> lists which replica runs which \
target.</p>`
    : targets.map((t, i) => target(t, i, nowMs))
}
</section>`;
}
