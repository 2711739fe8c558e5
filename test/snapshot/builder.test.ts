/**
 * The warm path must serve what the cold path serves: the same families, series and values, whether the
 * builder runs in-process or in its worker thread (the compiled one in dist/, as the CLI runs it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { parseExposition } from '../../src/exposition/index.js';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { BuilderClient, SnapshotBuilder, type BuildOptions } from '../../src/snapshot/index.js';
import { assertBuilt } from '../helpers/bridge-process.js';

const RULES = [
  { source_labels: ['model_name'], regex: '(?i).*whisper.*', target_label: 'team', replacement: 'audio' },
  { action: 'labeldrop', regex: 'rollout_phase' },
  { source_labels: ['__name__'], regex: 'baseten_(request|response)_size_bytes_.*', action: 'drop' },
  { source_labels: ['deployment_id'], modulus: 3, target_label: 'shard', action: 'hashmod' },
];
const OPTIONS: BuildOptions = { limits: { sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }, maxInvalidLineRatio: 0.01, helpSuffix: '(cached)' };
const fleet = buildFleet({ deployments: 8, seed: 3, createdAtMs: Date.UTC(2026, 0, 1) });
const body = (minute: number) => Buffer.from(renderBasetenMetrics(fleet, Date.UTC(2026, 0, 1, 1, minute)));

/** Families with their series and numeric values, independent of how numbers were spelled. */
function meaning(text: Buffer) {
  const parsed = parseExposition(text.toString('utf8'));
  expect(parsed.invalidLines).toEqual([]);
  return parsed.families.map((f) => ({ name: f.name, type: f.type, help: f.help, samples: f.samples.map((s) => [s.name, s.labels, s.value]) }));
}

describe('SnapshotBuilder warm replay', () => {
  it('serves the same as a cold build of the same body, cycle after cycle', () => {
    const warmBuilder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
    // Odd minutes keep the same series (the speculative-decoding families come and go on even ones).
    const first = warmBuilder.build(body(1), undefined, 0);
    expect(first).toMatchObject({ ok: true, warm: false });
    for (const minute of [3, 5]) {
      const warm = warmBuilder.build(body(minute), undefined, 0);
      const cold = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS).build(body(minute), undefined, 0);
      expect(warm).toMatchObject({ ok: true, warm: true });
      expect(cold).toMatchObject({ ok: true, warm: false });
      if (!warm.ok || !cold.ok) return;
      expect(meaning(warm.snapshot.text)).toEqual(meaning(cold.snapshot.text));
      expect([warm.snapshot.seriesScraped, warm.snapshot.seriesServed]).toEqual([cold.snapshot.seriesScraped, cold.snapshot.seriesServed]);
      expect([...warm.dropped]).toEqual([...cold.dropped].filter(([, n]) => n > 0));
      const sorted = (pairs: Array<[string, number]>) => [...pairs].sort(([a], [b]) => (a < b ? -1 : 1));
      expect(warm.cardinality.families).toEqual(cold.cardinality.families);
      expect(sorted(warm.cardinality.labels)).toEqual(sorted(cold.cardinality.labels));
    }
  });

  it('falls back to the cold path when the series change', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
    builder.build(body(1), undefined, 0);
    expect(builder.build(body(2), undefined, 0)).toMatchObject({ ok: true, warm: false });
    expect(builder.build(Buffer.from('# TYPE x gauge\nx{a="1"} 1\ngarbage{\n'), undefined, 0)).toMatchObject({ ok: false, reason: 'parse' });
  });

  it.each<[string, string]>([
    ['a value that is not a plain number', 'x{a="1"} 0x10\n'],
    ['a duplicate', 'x{a="1"} 1\nx{a="1"} 2\n'],
    ['a new series', 'x{a="1"} 1\nx{a="2"} 1\n'],
    ['other metadata', '# TYPE x counter\nx{a="1"} 1\n'],
  ])('does not replay %s', (_name, next) => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    builder.build(Buffer.from('x{a="1"} 1\n'), undefined, 0);
    expect(builder.build(Buffer.from('x{a="1"} 5\n'), undefined, 0)).toMatchObject({ ok: true, warm: true });
    const result = builder.build(Buffer.from(next), undefined, 0);
    expect(result.ok && result.warm).toBe(false);
  });
});

describe('BuilderClient in its worker thread (dist)', () => {
  assertBuilt();
  const clients: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const c of clients) await c.close();
  });

  it('gives the in-process result, cold and warm, with rules that need their raw form (labeldrop)', async () => {
    // The compiled module, whose worker file exists (the TypeScript one has none and builds in-process).
    const distModule = '../../dist/snapshot/index.js';
    const dist = (await import(distModule)) as { BuilderClient: typeof BuilderClient };
    const worker = new dist.BuilderClient(compileRelabelConfigs(RULES), RULES, OPTIONS, true);
    const local = new BuilderClient(compileRelabelConfigs(RULES), RULES, OPTIONS, false);
    clients.push(worker, local);
    // Cold, then warm twice: after the cold cycle its plan moves into a fresh thread, which must replay it.
    for (const [minute, warm] of [[1, false], [3, true], [5, true]] as const) {
      const [a, b] = [await worker.build(body(minute), undefined, 0), await local.build(body(minute), undefined, 0)];
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect([a.warm, b.warm]).toEqual([warm, warm]);
      expect(a.snapshot.text.equals(b.snapshot.text)).toBe(true);
      expect(a.snapshot.gzip.length).toBeGreaterThan(0);
    }
  });
});
