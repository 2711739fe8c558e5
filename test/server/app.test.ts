import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/index.js';
import { SnapshotStore, type Snapshot } from '../../src/snapshot/index.js';
import { BridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { buildSnapshot } from '../helpers/snapshot.js';

let server: Server;
let base: string;
let now = 1_000_000;
const store = new SnapshotStore(
  () => 60_000,
  () => now,
);
let reloads: string[][] = [[]];
let snapshot: Snapshot;

/** The response's bytes as sent: no client between that decompresses them (fetch does). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  const registry = new Registry();
  new BridgeMetrics(registry).forTarget('default', {
    dataAgeSeconds: () => store.ageSeconds(),
    budgetUsed: () => 0,
    budgetLimit: () => 5,
    maxStalenessSeconds: () => 60,
  });
  const app = createApp({
    telemetryPath: '/metrics',
    store,
    registry,
    reload: async () => reloads.shift() ?? [],
    lifecycle: true,
  });
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
    snapshot = buildSnapshot('# HELP x X.\n# TYPE x gauge\nx{a="b"} 1\n', now);
    store.swap(snapshot);
    expect((await fetch(`${base}/-/ready`)).status).toBe(200);
  });

  it('serves the snapshot then its own metrics, with the versioned content type and no banner', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const text = await res.text();
    expect(text.startsWith('# HELP x X. (cached)\n# TYPE x gauge\nx{a="b"} 1\n')).toBe(true);
    expect(text).toContain('baseten_bridge_upstream_up{target="default"} 0');
  });

  it("answers gzip as the snapshot's members as they are, then one member of its own metrics", async () => {
    const res = await rawGet(`${base}/metrics`, { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    // First the snapshot's own gzip bytes as they are (compressed once per cycle, never per scrape)...
    expect(res.body.subarray(0, snapshot.gzip.length).equals(snapshot.gzip)).toBe(true);
    // ...then a member of its own (magic 1f 8b) that holds the bridge's metrics and nothing else.
    const own = res.body.subarray(snapshot.gzip.length);
    expect([own[0], own[1]]).toEqual([0x1f, 0x8b]);
    const ownText = gunzipSync(own).toString();
    expect(ownText).toContain('baseten_bridge_build_info');
    expect(ownText).not.toContain('x{a="b"}');
    // Read whole, the members are one stream: the snapshot, then the bridge's metrics.
    expect(gunzipSync(res.body).toString()).toBe(`${gunzipSync(snapshot.gzip).toString()}${ownText}`);
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
});
