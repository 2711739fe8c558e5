/**
 * The status page at `/`: targets, cardinality, the relabel debugger and the config, rendered on the server
 * from a StatusSource with every value escaped (html-template.ts). Script and styles are separate files of
 * the bridge, so the Content-Security-Policy can forbid inline script, inline styles and every other origin:
 * even a value that escaped escaping could not run.
 */
import { VERSION } from '../version.js';
import { html } from './html-template.js';
import { cardinalitySection } from './status-page-cardinality.js';
import { configSection } from './status-page-config.js';
import { debuggerSection } from './status-page-debugger.js';
import { targetsSection } from './status-page-targets.js';
import { formatUtc } from './status-format.js';
import type { StatusSource } from './status-source.js';

/** Series offered in the debugger's picker. */
export const SAMPLE_SERIES = 200;

export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface StatusPageFacts {
  status: StatusSource;
  telemetryPath: string;
  ready: boolean;
  nowMs: number;
  /** --web.enable-lifecycle: the reload button is offered only then. */
  lifecycle: boolean;
}

function readiness(facts: StatusPageFacts): string {
  if (!facts.ready) return 'not ready: no Baseten data fresher than max staleness';
  return facts.status.targets().length === 0
    ? "ready: no target falls in this replica's shard"
    : 'serving fresh Baseten data';
}

export function renderStatusPage(facts: StatusPageFacts): string {
  const { status, nowMs } = facts;
  const rules = status.relabelRules();
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baseten metrics bridge</title>
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/status-page.css">
<script src="assets/status-page.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<h1>Baseten metrics bridge</h1>
<p class="sub">Version ${VERSION} · ${readiness(facts)} ·
as of <time datetime="${new Date(nowMs).toISOString()}">${formatUtc(nowMs)}</time> · <a href="">Refresh</a></p>
<nav aria-label="Sections"><ul>
<li><a href="#targets">Targets</a></li>
<li><a href="#cardinality">Cardinality</a></li>
<li><a href="#debugger">Relabel debugger</a></li>
<li><a href="#config">Config</a></li>
<li><a href="${facts.telemetryPath}">Metrics</a></li>
</ul></nav>
</header>
<main id="main" tabindex="-1">
${targetsSection(status.targets(), nowMs)}
${cardinalitySection(status.cardinality(), rules)}
${debuggerSection(status.sampleSeries(SAMPLE_SERIES), rules)}
${configSection(status.configView(), facts.lifecycle)}
</main>
<footer class="sub">
<a href="${facts.telemetryPath}">${facts.telemetryPath}</a> · <a href="-/healthy">/-/healthy</a> · <a \
href="-/ready">/-/ready</a> ·
<a href="api/v1/status">/api/v1/status</a> (JSON) · POST <code>/api/v1/relabel</code>
</footer>
</body>
</html>
`.text;
}
