/**
 * The status page over real HTTP with a hand-built StatusSource: what it shows, that every value from
 * upstream or config is escaped, the headers that keep the page from running anything but its own script,
 * the JSON status and the basic-auth guard.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../src/web-config/basic-auth.js';
import { renderStatusPage, STATUS_PAGE_CSP } from '../../src/status/status-page.js';
import { loadWebConfig } from '../../src/web-config/web-config.js';
import { HOSTILE, NOW, SAMPLES, startStatusApp, statusSource, type TestServer } from './status-fixture.js';

const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';

describe('the status page', () => {
  let app: TestServer;
  let page: string;
  let headers: Headers;

  beforeAll(async () => {
    app = await startStatusApp({ status: statusSource() });
    const res = await fetch(`${app.base}/`);
    expect(res.status).toBe(200);
    headers = res.headers;
    page = await res.text();
  });
  afterAll(() => app.close());

  it.each([
    ['content-type', 'text/html; charset=utf-8'],
    ['content-security-policy', STATUS_PAGE_CSP],
    ['cache-control', 'no-store'],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
  ])('answers with %s: %s', (name, value) => {
    expect(headers.get(name)).toBe(value);
  });

  it('forbids inline script, inline style and other origins', () => {
    expect(STATUS_PAGE_CSP).toContain("script-src 'self'");
    expect(STATUS_PAGE_CSP).toContain("style-src 'self'");
    expect(STATUS_PAGE_CSP).toContain("default-src 'none'");
    expect(STATUS_PAGE_CSP).not.toContain('unsafe');
  });

  it.each([
    ['each section', ['id="targets"', 'id="cardinality"', 'id="debugger"', 'id="config"']],
    [
      'both targets, up and down in words',
      ['<span class="badge up">Up</span>', '<span class="badge down">Down</span>'],
    ],
    ['the budget and data age', ['1 of 5 requests', '6 of 5 requests', 'of 5 m allowed', 'no data yet']],
    ['the last fetch', ['120 ms, 1.2 MiB', '1,500 scraped → 1,480 served']],
    ['why the next fetch is due then', ['<span class="sub">(one quick retry after a failure)</span>']],
    [
      'engine series without a Baseten model, and whose',
      [
        '<strong>Engine series without a Baseten model:</strong> 12 series of ' +
          'deployment(s) (no deployment_id), dep-&lt;img',
      ],
    ],
    [
      'the sparkline with its summary',
      [
        'role="img"',
        'Last hour: 60 fetches, 56 ok, 4 failed (timeout ×4); slowest 340 ms.',
        'No fetches in the last hour yet.',
      ],
    ],
    [
      'the cardinality tables',
      [
        'baseten_inference_requests_total',
        '1,480 series in 2 metric families after relabeling.',
        '<td class="num">20</td>',
      ],
    ],
    [
      'each rule described',
      [
        'labeldrop: regex: &quot;replica&quot;',
        'dropequal: source_labels: [&quot;model_name&quot;], target_label: &quot;model_id&quot;',
      ],
    ],
    [
      'labelled controls',
      [
        '<label for="relabel-series">',
        '<label for="relabel-rules">',
        '<label for="relabel-pick">',
        'id="relabel-series"',
        'id="relabel-rules"',
        'id="relabel-pick"',
      ],
    ],
    [
      'the running rules as YAML',
      ['- source_labels: [ __name__ ]\n  regex: baseten_.+\n  target_label: team\n  replacement: ml-platform\n'],
    ],
    [
      'the reload button as a POST form',
      ['<form id="reload-form" method="post" action="-/reload"', '<button type="submit">Reload config</button>'],
    ],
    [
      'its own script and stylesheet, nothing inline',
      ['<script src="assets/status-page.js" defer></script>', '<link rel="stylesheet" href="assets/status-page.css">'],
    ],
  ])('shows %s', (_what, needles) => {
    for (const needle of needles) expect(page).toContain(needle);
  });

  it('escapes every value that came from upstream or config', () => {
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>alert');
    expect(page.match(/<script/g)).toHaveLength(1);
    // No event-handler attribute anywhere once attribute values (which hold escaped text) are blanked out.
    expect(page.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\son[a-z]+=/);
    expect(page).not.toContain('style=');
    // target name, url, error message, family, label, sample series, config view, rule replacement, deployment
    expect(page.split(ESCAPED).length - 1).toBeGreaterThanOrEqual(9);
    expect(page).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('prefills the debugger with the first series of the last fetch and offers the rest', () => {
    const first = SAMPLES[0]!.replace(HOSTILE, ESCAPED).replaceAll('"', '&quot;');
    expect(page).toContain(
      `spellcheck="false" autocomplete="off" aria-describedby="relabel-series-help">${first}</textarea>`,
    );
    expect(page).toContain(`<option value="${first}">${first}</option>`);
  });

  it.each([
    ['/assets/status-page.js', 'text/javascript; charset=utf-8', "'use strict';"],
    ['/assets/status-page.css', 'text/css; charset=utf-8', ':root {'],
    ['/assets/favicon.svg', 'image/svg+xml; charset=utf-8', '<svg xmlns="http://www.w3.org/2000/svg"'],
  ])('serves %s as %s', async (path, type, start) => {
    const res = await fetch(`${app.base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect((await res.text()).startsWith(start)).toBe(true);
  });

  it('never writes HTML from the script', async () => {
    const script = await (await fetch(`${app.base}/assets/status-page.js`)).text();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('gives the same facts as JSON at /api/v1/status, rules as written', async () => {
    const res = await fetch(`${app.base}/api/v1/status`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as { status: string; data: Record<string, unknown> };
    expect(body.status).toBe('success');
    expect(Object.keys(body.data)).toEqual(['nowMs', 'ready', 'targets', 'cardinality', 'relabelRules', 'config']);
    expect((body.data.relabelRules as unknown[])[2]).toEqual({ regex: 'replica', action: 'labeldrop' });
    expect((body.data.targets as Array<{ name: string }>)[1]!.name).toBe(`second ${HOSTILE}`);
  });
});

describe('page text at a fixed time', () => {
  const text = renderStatusPage({
    status: statusSource(),
    telemetryPath: '/metrics',
    ready: true,
    nowMs: NOW,
    lifecycle: true,
  });
  it.each([
    ['12 s ago'],
    ['in 3 s'],
    ['12 s <span class="sub">of 5 m allowed</span>'],
    ['serving fresh Baseten data'],
    ['<span class="reason">parse</span>'],
  ])('contains %s', (needle) => {
    expect(text).toContain(needle);
  });

  it('says when there is no data at all', () => {
    const empty = renderStatusPage({
      status: statusSource({
        targets: () => [],
        sampleSeries: () => [],
        cardinality: () => ({ families: [], labels: [], droppedByRule: [] }),
        relabelRules: () => [],
      }),
      telemetryPath: '/metrics',
      ready: false,
      nowMs: NOW,
      lifecycle: false,
    });
    for (const needle of [
      'No target of the config falls in this replica',
      'No series yet.',
      'No relabel rules are configured',
      '<option value="">No data fetched yet</option>',
      'not ready',
    ]) {
      expect(empty).toContain(needle);
    }
  });
});

describe('when the status source fails', () => {
  let app: TestServer;
  beforeAll(async () => {
    app = await startStatusApp({
      status: statusSource({
        targets: () => {
          throw new Error(`broken ${HOSTILE}`);
        },
      }),
    });
  });
  afterAll(() => app.close());

  it.each([
    ['/', 'text/plain; charset=utf-8', 'status: the bridge could not report its status (see its log)\n'],
    [
      '/api/v1/status',
      'application/json; charset=utf-8',
      '{"status":"error","errorType":"internal","error":"status: the bridge could not answer (see its log)"}',
    ],
  ])('%s answers 500 without the error', async (path, type, body) => {
    const res = await fetch(`${app.base}${path}`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).toBe(body);
  });
});

describe('without a status source', () => {
  let app: TestServer;
  beforeAll(async () => {
    app = await startStatusApp();
  });
  afterAll(() => app.close());

  it.each([
    ['/', 404, 'Not found.'],
    ['/api/v1/status', 404, 'Not found.'],
    ['/assets/status-page.js', 404, 'Not found.'],
  ])('%s → %d', async (path, status, text) => {
    const res = await fetch(`${app.base}${path}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(text);
  });
});

describe('behind basic auth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-status-auth-'));
  const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;
  let app: TestServer;
  beforeAll(async () => {
    writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  operator: ${bcrypt.hashSync('op-pw', 4)}\n`);
    const web = loadWebConfig(join(dir, 'web.yml'));
    app = await startStatusApp({ status: statusSource(), guard: basicAuth(() => web) });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, string, string | undefined, number]>([
    ['GET', '/', undefined, 401],
    ['GET', '/', basic('wrong'), 401],
    ['GET', '/assets/status-page.js', undefined, 401],
    ['GET', '/api/v1/status', undefined, 401],
    ['POST', '/api/v1/relabel', undefined, 401],
    ['POST', '/-/reload', undefined, 401],
    ['GET', '/', basic('op-pw'), 200],
    ['GET', '/api/v1/status', basic('op-pw'), 200],
    ['POST', '/api/v1/relabel', basic('op-pw'), 200],
    ['POST', '/-/reload', basic('op-pw'), 200],
  ])('%s %s with %j → %d', async (method, path, authorization, status) => {
    const res = await fetch(`${app.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      ...(method === 'POST' ? { body: JSON.stringify({ series: 'up' }) } : {}),
    });
    expect(res.status).toBe(status);
    if (status === 401) expect(await res.text()).toBe('Unauthorized.\n');
  });
});
