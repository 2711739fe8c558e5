/** The page at `/`, as every Prometheus exporter has one: what this is and where the endpoints are. */
import type { Request, Response } from 'express';
import { VERSION } from '../version.js';

export interface LandingFacts {
  telemetryPath: string;
  upstreamHost: string;
  ready: () => boolean;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function landingPage(facts: LandingFacts) {
  return (_req: Request, res: Response): void => {
    const path = escapeHtml(facts.telemetryPath);
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseten metrics bridge</title></head>
<body>
<h1>Baseten metrics bridge</h1>
<p>Version ${escapeHtml(VERSION)}. Relays the metrics of ${escapeHtml(facts.upstreamHost)} once per interval.</p>
<p>Status: ${facts.ready() ? 'ready (serving Baseten data)' : 'not ready (no fresh Baseten data yet)'}</p>
<ul>
<li><a href="${path}">${path}</a> — Baseten metrics and the bridge's own</li>
<li><a href="/-/healthy">/-/healthy</a> — the process is alive</li>
<li><a href="/-/ready">/-/ready</a> — fresh data is being served</li>
</ul>
</body></html>
`);
  };
}
