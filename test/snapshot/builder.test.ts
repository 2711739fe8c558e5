/**
 * The incremental build must serve what a from-scratch build of the same body serves, byte for byte, whether
 * the series were cached or not, and whether the builder runs in-process or in its worker thread (the
 * compiled one in dist/, as the CLI runs it). A cycle costs what changed: only new series are parsed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { BuilderClient, SnapshotBuilder, type BuildOptions, type BuildResult } from '../../src/snapshot/index.js';
import { assertBuilt } from '../helpers/bridge-process.js';
import { TEST_BUILD_OPTIONS } from '../helpers/snapshot.js';

const RULES = [
  { source_labels: ['model_name'], regex: '(?i).*whisper.*', target_label: 'team', replacement: 'audio' },
  { action: 'labeldrop', regex: 'rollout_phase' },
  { source_labels: ['__name__'], regex: 'baseten_(request|response)_size_bytes_.*', action: 'drop' },
  { source_labels: ['deployment_id'], modulus: 3, target_label: 'shard', action: 'hashmod' },
];
const OPTIONS: BuildOptions = { ...TEST_BUILD_OPTIONS, maxInvalidLineRatio: 0.01 };
const fleet = buildFleet({ deployments: 8, seed: 3, createdAtMs: Date.UTC(2026, 0, 1) });
const body = (minute: number) => Buffer.from(renderBasetenMetrics(fleet, Date.UTC(2026, 0, 1, 1, minute)));
const fromScratch = (b: Buffer) => new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS).build(b, undefined, 0);

/** Everything a build result says, with the snapshot's bytes as text. */
function view(result: BuildResult) {
  if (!result.ok) return result;
  const { snapshot, dropped, droppedByRule, cardinality, invalidLines } = result;
  return {
    text: snapshot.text.toString('utf8'),
    blocks: snapshot.blocks,
    scraped: snapshot.seriesScraped,
    served: snapshot.seriesServed,
    dropped: [...dropped],
    droppedByRule,
    cardinality,
    invalidLines,
  };
}

describe('SnapshotBuilder, incremental', () => {
  it('serves, cycle after cycle, exactly what a from-scratch build of the same body serves', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
    // Even minutes bring the speculative-decoding families, odd ones take them away: series come and go.
    for (const minute of [1, 2, 3, 5, 6]) {
      const incremental = builder.build(body(minute), undefined, 0);
      expect(incremental.ok).toBe(true);
      expect(view(incremental)).toEqual(view(fromScratch(body(minute))));
    }
  });

  it('parses only the series it has not seen', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    const first = builder.build(Buffer.from('x{a="1"} 1\nx{a="2"} 1\n'), undefined, 0);
    expect(first).toMatchObject({ ok: true, newSeries: 2, unchanged: false });
    expect(builder.build(Buffer.from('x{a="1"} 5\nx{a="2"} 6\n'), undefined, 0)).toMatchObject({
      ok: true,
      newSeries: 0,
    });
    expect(builder.build(Buffer.from('x{a="2"} 7\nx{a="3"} 7\nx{a="1"} 7\n'), undefined, 0)).toMatchObject({
      ok: true,
      newSeries: 1,
    });
    // x{a="3"} went, and is new again when it comes back; the cache holds only live series.
    builder.build(Buffer.from('x{a="1"} 8\n'), undefined, 0);
    expect(builder.cachedSeries).toBe(1);
    expect(builder.build(Buffer.from('x{a="1"} 8\nx{a="3"} 8\n'), undefined, 0)).toMatchObject({
      ok: true,
      newSeries: 1,
    });
  });

  it('serves a body equal to the last one again without reading it, with the new fetch time', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
    const first = builder.build(body(1), undefined, 10);
    const again = builder.build(body(1), undefined, 20);
    expect(again).toMatchObject({ ok: true, unchanged: true, newSeries: 0 });
    if (!first.ok || !again.ok) return;
    expect(again.snapshot.fetchedAtMs).toBe(20);
    expect(again.snapshot.text).toBe(first.snapshot.text);
  });

  it('reuses the gzip member of a family whose bytes did not change', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    const a = builder.build(Buffer.from('# TYPE g gauge\ng 1\n# TYPE c counter\nc 1\n'), undefined, 0);
    const b = builder.build(Buffer.from('# TYPE g gauge\ng 1\n# TYPE c counter\nc 2\n'), undefined, 0);
    if (!a.ok || !b.ok) throw new Error('build failed');
    const member = (r: typeof a, name: string) => {
      const block = r.snapshot.blocks.find((x) => x.name === name)!;
      return r.snapshot.gzip.subarray(block.gzBody[0], block.gzBody[1]);
    };
    expect(member(b, 'g').equals(member(a, 'g'))).toBe(true);
    expect(member(b, 'c').equals(member(a, 'c'))).toBe(false);
  });

  it('refuses a body over sample_limit while reading it, and lets its new series go', () => {
    const limited = { ...OPTIONS, sampleLimit: 3 };
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), limited);
    expect(builder.build(Buffer.from('x{a="1"} 1\nx{a="2"} 1\n'), undefined, 0)).toMatchObject({
      ok: true,
      newSeries: 2,
    });
    const spike = Array.from({ length: 100 }, (_, i) => `x{a="${i}"} 1`).join('\n');
    expect(builder.build(Buffer.from(spike), undefined, 0)).toMatchObject({
      ok: false,
      reason: 'sample_limit',
      message:
        'sample_limit exceeded (more than 3 series after relabeling, limit 3; the rest of the body was not read)',
    });
    // What the spike brought is gone; the series of the last good body are still cached.
    expect(builder.cachedSeries).toBe(2);
    expect(builder.build(Buffer.from('x{a="1"} 2\nx{a="2"} 2\n'), undefined, 0)).toMatchObject({
      ok: true,
      newSeries: 0,
    });
  });

  it('fails a body with too many invalid lines, and keeps what it learned for the next good one', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs(RULES), OPTIONS);
    builder.build(body(1), undefined, 0);
    expect(builder.build(Buffer.from('# TYPE x gauge\nx{a="1"} 1\ngarbage{\n'), undefined, 0)).toMatchObject({
      ok: false,
      reason: 'parse',
    });
    expect(builder.build(body(3), undefined, 0)).toMatchObject({ ok: true, newSeries: 0 });
  });
});

describe('BuilderClient in its worker thread (dist)', () => {
  assertBuilt();
  const clients: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const c of clients) await c.close();
  });

  it('gives the in-process result, cycle after cycle, with rules that need their raw form (labeldrop)', async () => {
    // The compiled module, whose worker file exists (the TypeScript one has none and builds in-process).
    const distModule = '../../dist/snapshot/index.js';
    const dist = (await import(distModule)) as { BuilderClient: typeof BuilderClient };
    const worker = new dist.BuilderClient(RULES, OPTIONS, true);
    const local = new BuilderClient(RULES, OPTIONS, false);
    clients.push(worker, local);
    for (const minute of [1, 3, 3, 4]) {
      const [a, b] = [await worker.build(body(minute), undefined, 0), await local.build(body(minute), undefined, 0)];
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect([a.newSeries, a.unchanged]).toEqual([b.newSeries, b.unchanged]);
      expect(a.snapshot.text.equals(b.snapshot.text)).toBe(true);
      expect(a.snapshot.gzip.equals(b.snapshot.gzip)).toBe(true);
    }
  });

  it(
    'answers a build after close with a failure, not a crash (a fetch ' + 'still in flight when the bridge stops)',
    async () => {
      const distModule = '../../dist/snapshot/index.js';
      const dist = (await import(distModule)) as { BuilderClient: typeof BuilderClient };
      const worker = new dist.BuilderClient([], OPTIONS, true);
      await worker.close();
      expect(await worker.build(Buffer.from('x 1\n'), undefined, 0)).toMatchObject({
        ok: false,
        message: expect.stringContaining('stopped'),
      });
    },
  );

  it('hands back the memory of a body it let go, and a body read into it builds as any other', async () => {
    const distModule = '../../dist/snapshot/index.js';
    const dist = (await import(distModule)) as { BuilderClient: typeof BuilderClient };
    const worker = new dist.BuilderClient([], OPTIONS, true);
    clients.push(worker);
    // Over 1 MiB: a smaller body is not handed back.
    const text = (v: number) =>
      `# TYPE x counter\n${Array.from({ length: 60_000 }, (_, i) => `x_total{pod="p${i}"} ${v}\n`).join('')}`;
    const into = (t: string, memory: Buffer = Buffer.allocUnsafeSlow(t.length)) => memory.subarray(0, memory.write(t));
    expect(await worker.build(into(text(1)), undefined, 0)).toMatchObject({ ok: true });
    expect(worker.takeSpare(), 'the first body is the one the cache points into').toBeUndefined();
    expect(await worker.build(into(text(2)), undefined, 0)).toMatchObject({ ok: true, unchanged: false });
    const spare = worker.takeSpare();
    expect(spare?.length).toBeGreaterThanOrEqual(text(3).length);
    expect(worker.takeSpare(), 'handed out once').toBeUndefined();
    const third = await worker.build(into(text(3), spare), undefined, 0);
    const fresh = await new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS).build(
      Buffer.from(text(3)),
      undefined,
      0,
    );
    expect(third.ok && fresh.ok && third.snapshot.text.equals(fresh.snapshot.text)).toBe(true);
  });
});
