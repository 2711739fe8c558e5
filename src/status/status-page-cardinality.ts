/**
 * The Cardinality section: the metric families and label names with the most series after relabeling, and
 * how many series each relabel rule dropped in the last good cycle — the first place to look when a bill or
 * a TSDB is too big.
 */
import type { RelabelConfig } from '../relabel/index.js';
import { html, type Html } from './html-template.js';
import { writtenRule } from './relabel-input.js';
import { formatCount } from './status-format.js';
import type { CardinalityReport } from './status-source.js';

export const TOP_ROWS = 15;

/** `drop: source_labels: ["__name__"], regex: "x_.*"`: a rule on one line, defaults left out. */
export function describeRule(rule: RelabelConfig | undefined): string {
  if (!rule) return '(not in the running config)';
  const { action = 'replace', ...fields } = writtenRule(rule);
  const rest = Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return rest.length === 0 ? action : `${action}: ${rest.join(', ')}`;
}

function topTable(caption: string, what: string, rows: ReadonlyArray<{ name: string; series: number }>): Html {
  const top = rows.slice(0, TOP_ROWS);
  const max = Math.max(1, ...top.map((r) => r.series));
  const more = rows.length - top.length;
  return html`<div class="scroll"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${what}</th><th scope="col" class="num">Series</th><th scope="col"><span \
class="visually-hidden">Share</span></th></tr></thead>
<tbody>${top.map(
    (r) =>
      html`<tr><td class="name">${r.name}</td><td class="num">${formatCount(r.series)}</td><td class="bar"><meter \
min="0" max="${max}" value="${r.series}" aria-hidden="true"></meter></td></tr>`,
  )}${top.length === 0 ? html`<tr><td colspan="3">No series yet.</td></tr>` : ''}</tbody>
</table>${more > 0 ? html`<p class="sub">and ${formatCount(more)} more</p>` : ''}</div>`;
}

function droppedTable(report: CardinalityReport, rules: readonly RelabelConfig[]): Html {
  if (report.droppedByRule.length === 0) return html`<p>No relabel rules are configured, so nothing is dropped.</p>`;
  return html`<div class="scroll"><table>
<caption>Series dropped by each relabel rule in the last good fetch</caption>
<thead><tr><th scope="col" class="num">Rule</th><th scope="col">Action and fields</th><th scope="col" \
class="num">Dropped</th></tr></thead>
<tbody>${report.droppedByRule.map(
    (d) =>
      html`<tr><td class="num">${d.index}</td><td><code>${describeRule(rules[d.index])}</code></td><td \
class="num">${formatCount(d.dropped)}</td></tr>`,
  )}</tbody>
</table></div>`;
}

export function cardinalitySection(report: CardinalityReport, rules: readonly RelabelConfig[]): Html {
  const total = report.families.reduce((sum, f) => sum + f.series, 0);
  return html`<section id="cardinality" aria-labelledby="cardinality-h">
<h2 id="cardinality-h">Cardinality</h2>
<p>${formatCount(total)} series in ${formatCount(report.families.length)} \
metric ${report.families.length === 1 ? 'family' : 'families'} after relabeling.</p>
<div class="columns">
${topTable('Metric families with the most series', 'Family', report.families)}
${topTable('Label names carried by the most series', 'Label', report.labels)}
</div>
${droppedTable(report, rules)}
</section>`;
}
