/**
 * Hand-built StatusSource for the status page's tests: one healthy target, one failing, and every string that
 * reaches the page carrying markup (a model named `<img src=x onerror=alert(1)>` and friends).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { RequestHandler } from 'express';
import { compileRelabelConfigs, type RelabelConfig } from '../../src/relabel/index.js';
import { createApp } from '../../src/server/index.js';
import type { CycleRecord, StatusSource, TargetStatus } from '../../src/status/status-source.js';
import { SnapshotStore } from '../../src/snapshot/index.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
/** Times in the fixture are relative to the moment the tests load, so a live app (on Date.now) shows them as recent. */
export const NOW = Date.now();

/** As DEMO_RELABEL_CONFIGS, plus rules whose effective form does not compile again as written. */
export const RUNNING_RULES: RelabelConfig[] = compileRelabelConfigs([
  { source_labels: ['__name__'], regex: 'baseten_.+', target_label: 'team', replacement: 'ml-platform' },
  { source_labels: ['model_name'], regex: '(?i).*(whisper|speech).*', target_label: 'team', replacement: 'audio' },
  { action: 'labeldrop', regex: 'replica' },
  { action: 'dropequal', source_labels: ['model_name'], target_label: 'model_id' },
  { source_labels: ['model_name'], regex: 'evil', target_label: 'note', replacement: `<script>alert(2)</script>` },
]).source.slice();

function history(): CycleRecord[] {
  const out: CycleRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const ok = i % 17 !== 5;
    out.push({
      atMs: NOW - 3_540_000 + i * 60_000,
      ok,
      durationMs: 100 + (i % 7) * 40,
      ...(ok ? { seriesServed: 1480 } : { reason: 'timeout' }),
    });
  }
  return out;
}

export const TARGETS: TargetStatus[] = [
  {
    name: 'default',
    url: 'http://127.0.0.1:9/metrics',
    up: true,
    lastSuccessMs: NOW - 12_000,
    dataAgeSeconds: 12,
    maxStalenessSeconds: 300,
    nextFetchMs: NOW + 3_000,
    nextFetchReason: 'quick_retry',
    budgetUsed: 1,
    budgetLimit: 5,
    lastDurationMs: 120,
    lastResponseBytes: 1_258_291,
    seriesScraped: 1500,
    seriesServed: 1480,
    history: history(),
  },
  {
    name: `second ${HOSTILE}`,
    url: `https://example.invalid/metrics?${HOSTILE}`,
    up: false,
    maxStalenessSeconds: 300,
    lastError: { reason: 'parse', message: `line 3: expected value (${HOSTILE})`, atMs: NOW - 5_000 },
    engineWithoutIdentity: { series: 12, deployments: ['', `dep-${HOSTILE}`] },
    budgetUsed: 6,
    budgetLimit: 5,
    history: [],
  },
];

export const SAMPLES = [
  `baseten_inference_requests_total{model_name="${HOSTILE}",model_id="abc",replica="r1"}`,
  'baseten_replicas_active{model_name="whisper\\\\large",model_id="w1"}',
];

export function statusSource(overrides: Partial<StatusSource> = {}): StatusSource {
  return {
    targets: () => TARGETS,
    cardinality: () => ({
      families: [
        { name: 'baseten_inference_requests_total', series: 900 },
        { name: `family_${HOSTILE}`, series: 580 },
      ],
      labels: [
        { name: 'model_name', series: 1480 },
        { name: `label_${HOSTILE}`, series: 3 },
      ],
      droppedByRule: RUNNING_RULES.map((rule, index) => ({
        index,
        action: rule.action ?? 'replace',
        dropped: index === 3 ? 20 : 0,
      })),
    }),
    relabelRules: () => RUNNING_RULES,
    identities: () => [['d-hostile', { model_id: 'abc', model_name: HOSTILE, environment: 'production' }]],
    configView: () => ({
      upstream: { url: 'http://127.0.0.1:9/metrics', interval: '15s' },
      api_key: `abcdefgh.*** (from ${HOSTILE})`,
    }),
    sampleSeries: (limit) => SAMPLES.slice(0, limit),
    ...overrides,
  };
}

export interface TestServer {
  base: string;
  close(): Promise<void>;
}

/** createApp as the bridge builds it, on a loopback port. */
export async function startStatusApp(
  opts: { status?: StatusSource; guard?: RequestHandler; reload?: () => Promise<string[]>; lifecycle?: boolean } = {},
): Promise<TestServer> {
  const app = createApp({
    telemetryPath: '/metrics',
    store: new SnapshotStore(
      () => 60_000,
      () => NOW,
    ),
    registry: new Registry(),
    reload: opts.reload ?? (async () => []),
    lifecycle: opts.lifecycle ?? true,
    ...(opts.guard ? { guard: opts.guard } : {}),
    ...(opts.status ? { status: opts.status } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
