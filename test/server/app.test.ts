import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import { createSnapshot, SnapshotStore } from '../../src/snapshot/index.js';
import { BridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';

let server: Server;
let base: string;
let now = 1_000_000;
const store = new SnapshotStore(() => 60_000, () => now);
let reloads: string[][] = [[]];

beforeAll(async () => {
  const registry = new Registry();
  new BridgeMetrics(registry).forTarget('default', { dataAgeSeconds: () => store.ageSeconds(), budgetUsed: () => 0, budgetLimit: () => 5, maxStalenessSeconds: () => 60 });
  const app = createApp({ telemetryPath: '/metrics', store, registry, upstreamHost: 'app.baseten.co', reload: async () => reloads.shift() ?? [], lifecycle: true });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HTTP surface', () => {
  it('is healthy at once, ready only with fresh data', async () => {
    expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${base}/-/ready`)).status).toBe(503);
    store.swap(createSnapshot([{ name: 'x', type: 'gauge', help: 'X.', samples: [{ name: 'x', labels: [['a', 'b']], value: 1 }] }], now, 1, 1));
    expect((await fetch(`${base}/-/ready`)).status).toBe(200);
  });

  it('serves the snapshot then its own metrics, with the versioned content type and no banner', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const text = await res.text();
    expect(text.startsWith('# HELP x X.\n# TYPE x gauge\nx{a="b"} 1\n')).toBe(true);
    expect(text).toContain('baseten_bridge_upstream_up{target="default"} 0');
  });

  it('answers gzip as one stream of two members', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const raw = Buffer.from(await new Response(res.body).arrayBuffer());
    // undici decompresses transparently; either way the text must contain both parts.
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString() : raw.toString();
    expect(text).toContain('x{a="b"} 1');
    expect(text).toContain('baseten_bridge_build_info');
  });

  it('stops serving stale data but keeps its own metrics', async () => {
    now += 61_000;
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).not.toContain('x{a="b"}');
    expect(text).toContain('baseten_bridge_data_age_seconds{target="default"} 61');
    expect((await fetch(`${base}/-/ready`)).status).toBe(503);
  });

  it('reloads on POST and reports a refused config', async () => {
    reloads = [[], ['upstream.interval: bad']];
    expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(200);
    const refused = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain('upstream.interval: bad');
    expect((await fetch(`${base}/-/reload`)).status).toBe(404);
  });

  it('has a landing page', async () => {
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain('<a href="/metrics">');
  });
});
