/**
 * The incremental build against a from-scratch build, for seeded random sequences of bodies in which series
 * appear, vanish and reorder, metadata changes (and comes late or twice), values change (and are sometimes
 * not plain numbers), duplicates and broken histograms come and go, and a few lines are invalid: cycle after
 * cycle, every byte served and every count must be the same as a builder that never saw the earlier bodies.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mulberry32, type Random } from '../../src/demo/prng.js';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { SnapshotBuilder, type BuildOptions, type BuildResult, type Snapshot } from '../../src/snapshot/index.js';
import { TEST_BUILD_OPTIONS } from '../helpers/snapshot.js';

const RULES = [
  { source_labels: ['pod'], regex: 'p3', action: 'drop' },
  // On an attached identity label: the engine series of model m3 (and its platform series) go.
  { source_labels: ['model_name'], regex: 'm3', action: 'drop' },
  // Two pods become one: a duplicate after relabeling whenever both are present.
  { source_labels: ['pod'], regex: 'p[45]', target_label: 'pod', replacement: 'p45' },
  { action: 'labeldrop', regex: 'zone' },
  { source_labels: ['__name__'], regex: 'renamed_(.*)', target_label: '__name__', replacement: 'moved_$1' },
];
const OPTIONS: BuildOptions = { ...TEST_BUILD_OPTIONS, maxInvalidLineRatio: 0.2 };
/** A body that fails (not metrics): built between two equal bodies, it leaves the builder's lines its own. */
const FAILING_BODY = Buffer.from('<html><body>Down for maintenance</body></html>\n');

const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;
const VALUES = [
  '0',
  '1',
  '2.5',
  '-0',
  '-0.0',
  '1e3',
  '1.5E-07',
  'NaN',
  '+Inf',
  '-Inf',
  'inf',
  '12345678901234567890',
  '.5',
  '+7',
  '1e400',
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

interface Family {
  name: string;
  type: (typeof TYPES)[number];
  help: string | undefined;
  typeLate: boolean;
  typeTwice: boolean;
}

/** A Baseten deployment: the identity its platform series state, when it has any in the body. */
interface Deployment {
  id: string;
  model: string;
  environment: string | undefined;
  /** Its platform series are in the body (else its engine series have no identity). */
  present: boolean;
}

/** One random world that changes a little at each cycle. */
class World {
  private readonly families: Family[] = [];
  private pods = new Set<string>(['p1', 'p2']);
  private readonly deployments: Deployment[] = [
    { id: 'd1', model: 'm1', environment: 'production', present: true },
    { id: 'd2', model: 'm 2 "q"', environment: undefined, present: true },
    { id: 'd3', model: 'm3', environment: 'staging', present: true },
  ];
  /** The engine series carry the engine's own labels (model_name: the served path), or Baseten's two only. */
  private readonly engineLabels: boolean;
  private models = 3;

  constructor(private readonly random: Random) {
    for (let i = 0; i < 5; i++) this.families.push(this.family(i));
    this.engineLabels = random() < 0.5;
  }

  private family(i: number): Family {
    const r = this.random;
    const prefix = r() < 0.15 ? 'renamed_' : '';
    return {
      name: `${prefix}fam${i}`,
      type: pick(r, TYPES),
      help: r() < 0.7 ? `Help ${i} \\ "x"` : undefined,
      typeLate: r() < 0.1,
      typeTwice: r() < 0.1,
    };
  }

  /** Mutates the world: pods come and go, a family changes type or help. */
  step(): void {
    const r = this.random;
    for (const pod of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) {
      if (r() >= 0.25) continue;
      if (this.pods.has(pod)) this.pods.delete(pod);
      else this.pods.add(pod);
    }
    if (r() < 0.3) {
      const i = Math.floor(r() * this.families.length);
      this.families[i] = this.family(i);
    }
    // A deployment is renamed, changes environment, or loses (or gets back) its platform series.
    if (r() < 0.4) {
      const d = pick(r, this.deployments);
      const change = r();
      if (change < 0.4) d.model = `m${++this.models}`;
      else if (change < 0.7) d.environment = d.environment === undefined ? 'production' : undefined;
      else d.present = !d.present;
    }
  }

  /** Baseten's platform series of the deployments, and the engine series of the pods that run on them. */
  private identityLines(): { platform: string[]; engine: string[] } {
    const r = this.random;
    const platform = ['# TYPE baseten_replicas_active gauge'];
    for (const d of this.deployments) {
      if (!d.present) continue;
      const env = d.environment === undefined ? '' : `,environment="${d.environment}"`;
      platform.push(
        `baseten_replicas_active{deployment_id="${d.id}"${env},model_id="id-${d.id}",` +
          `model_name="${d.model.replace(/"/g, '\\"')}"} ${pick(r, VALUES)}`,
      );
    }
    const engine = ['# TYPE vllm:num_requests_running gauge'];
    [...this.pods].forEach((pod, i) => {
      const d = this.deployments[i % this.deployments.length]!;
      const own = this.engineLabels ? ',model_name="org/served-model",engine="0"' : '';
      engine.push(`vllm:num_requests_running{deployment_id="${d.id}",replica="${pod}"${own}} ${pick(r, VALUES)}`);
    });
    if (r() < 0.2) engine.push(`vllm:num_requests_running{replica="orphan"} 1`);
    return { platform, engine };
  }

  body(): string {
    const r = this.random;
    const lines: string[] = [];
    const pods = [...this.pods];
    if (r() < 0.3) pods.reverse();
    const families = r() < 0.2 ? [...this.families].reverse() : this.families;
    // The platform series before the engine series, or after (the identity is settled once the body is read).
    const identity = this.identityLines();
    const platformLast = r() < 0.5;
    lines.push(...(platformLast ? identity.engine : identity.platform));
    for (const f of families) {
      if (f.help !== undefined) lines.push(`# HELP ${f.name} ${f.help}`);
      if (!f.typeLate) lines.push(`# TYPE ${f.name} ${f.type}`);
      if (f.typeTwice) lines.push(`# TYPE ${f.name} gauge`);
      for (const pod of pods) lines.push(...this.series(f, pod));
      if (f.typeLate) lines.push(`# TYPE ${f.name} ${f.type}`);
      if (r() < 0.05) lines.push('');
    }
    lines.push(...(platformLast ? identity.platform : identity.engine));
    if (r() < 0.3) lines.push(`dup_total{pod="p1"} ${pick(r, VALUES)}`, `dup_total{pod="p1"} 2`);
    if (r() < 0.2) lines.push(`dup_total{zone="a",pod="p1"} 3`);
    if (r() < 0.15) lines.push('not a valid line');
    if (r() < 0.1) lines.push(`ts_metric{pod="p1"} 1 ${pick(r, ['1700000000000', '-1000', '+5', '00017'])}`);
    if (r() < 0.1) lines.push(`  lead_blank{pod="p2"} 1`);
    // The same name with and without labels, and blanks before the labels (text 0.0.4 allows them).
    lines.push('anchor 1', pick(r, ['bare 1', 'bare {pod="p1"} 2', 'bare{pod="p2"} 3', 'bare\t4 5']));
    const eol = r() < 0.1 ? '\r\n' : '\n';
    return lines.join(eol) + eol;
  }

  private series(f: Family, pod: string): string[] {
    const r = this.random;
    const labels = r() < 0.5 ? `pod="${pod}",zone="z1"` : `zone="z1",pod="${pod}"`;
    const value = () => pick(r, VALUES);
    switch (f.type) {
      case 'histogram': {
        const out: string[] = [];
        for (const le of ['0.5', '1', '+Inf']) {
          if (le === '+Inf' && r() < 0.1) continue; // a broken histogram, now and then
          out.push(`${f.name}_bucket{${labels},le="${le}"} ${value()}`);
        }
        return [...out, `${f.name}_sum{${labels}} ${value()}`, `${f.name}_count{${labels}} ${value()}`];
      }
      case 'summary':
        return [
          `${f.name}{${labels},quantile="0.5"} ${value()}`,
          `${f.name}_sum{${labels}} ${value()}`,
          `${f.name}_count{${labels}} ${value()}`,
        ];
      default:
        return [`${f.name}{${labels}} ${value()}`];
    }
  }
}

function view(result: BuildResult) {
  if (!result.ok) return result;
  const { snapshot, dropped, droppedByRule, cardinality, invalidLines } = result;
  const sorted = <T extends [unknown, number]>(pairs: T[]) =>
    [...pairs].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return {
    text: snapshot.text.toString('utf8'),
    gzip: snapshot.gzip.toString('base64'),
    blocks: snapshot.blocks,
    counts: [snapshot.seriesScraped, snapshot.seriesServed],
    dropped: sorted([...dropped]),
    droppedByRule: sorted([...droppedByRule]),
    cardinality,
    invalidLines,
  };
}

/** A sample line's series: the text before its value (and, when `stamped`, before its timestamp). */
function seriesOf(line: string, stamped: boolean): string {
  const value = stamped ? line.slice(0, line.lastIndexOf(' ')) : line;
  return value.slice(0, value.lastIndexOf(' '));
}

/** Lines without the header lines of blocks left with no sample line. */
function withoutEmptyBlocks(lines: string[]): string[] {
  const out: string[] = [];
  let header: string[] = [];
  for (const line of lines) {
    if (line.startsWith('# ')) {
      header.push(line);
      continue;
    }
    if (line !== '') out.push(...header, line);
    else out.push(line);
    header = [];
  }
  return out;
}

/**
 * With sample timestamps a snapshot also serves, for one cycle and without a timestamp, the series the last
 * snapshot served with its time and this one does not (departed.ts). Worked out here from the two texts: the
 * lines of `got` that carry neither its time nor one of their own (ts_metric) must be exactly those, and the
 * rest, with the blocks only they needed, exactly what a from-scratch build of the body serves.
 */
function expectDeparted(got: Snapshot, scratch: Snapshot, last: Snapshot | undefined, context: string): number {
  const isSample = (l: string) => l !== '' && !l.startsWith('#');
  const lines = got.text.toString('utf8').split('\n');
  // Every line of a stamped snapshot has a timestamp (the fetch's or its own), so a line that is not one of
  // the from-scratch build's has none: a departed series.
  const served = scratch.text.toString('utf8').split('\n').filter(isSample);
  const inScratch = new Set(served);
  const departed = lines.filter((l) => isSample(l) && !inScratch.has(l));
  const now = new Set(served.map((l) => seriesOf(l, true)));
  const lastStamp = last === undefined ? '' : ` ${last.stampedAtMs}`;
  // A block now served with another TYPE cannot take the old type's lines: those are not carried.
  const typeNow = new Map(
    [...scratch.text.toString('utf8').matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  let block: { name: string; type: string } | undefined;
  const expected: string[] = [];
  for (const l of last === undefined ? [] : last.text.toString('utf8').split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(l);
    if (type) block = { name: type[1]!, type: type[2]! };
    const conflict = block !== undefined && typeNow.has(block.name) && typeNow.get(block.name) !== block.type;
    if (isSample(l) && l.endsWith(lastStamp) && !now.has(seriesOf(l, true)) && !conflict) expected.push(l);
  }
  expect(departed.sort(), `${context}: the departed lines`).toEqual(
    expected.map((l) => l.slice(0, l.length - lastStamp.length)).sort(),
  );
  // Without them (and the headers of blocks that held only them), the from-scratch text.
  const gone = new Set(departed);
  const kept = lines.filter((l) => !gone.has(l));
  expect(withoutEmptyBlocks(kept).join('\n'), `${context}: the served lines`).toBe(scratch.text.toString('utf8'));
  return departed.length;
}

describe.each([false, true])(
  'incremental build against a from-scratch build (sample timestamps: %s)',
  (sampleTimestamps) => {
    const options = { ...OPTIONS, sampleTimestamps };
    let repeatedInAll = 0;
    let departedIn = 0;
    let kept = 0;
    let identityChanges = 0;
    let unidentified = 0;
    let stampedIn = 0;
    const sequences = Array.from({ length: 40 }, (_, seed) => seed + 1);
    it('runs every sequence', () => expect(sequences).toHaveLength(40));

    it.each(sequences)('seed %i: 12 cycles, byte for byte', (seed) => {
      const random = mulberry32(seed);
      const world = new World(random);
      const rules = compileRelabelConfigs(RULES);
      const incremental = new SnapshotBuilder(rules, options);
      let okCycles = 0;
      let repeated = 0;
      let lastServed: Snapshot | undefined;
      for (let cycle = 0; cycle < 12; cycle++) {
        world.step();
        const body = Buffer.from(world.body());
        const format = random() < 0.1 ? 'application/openmetrics-text; version=1.0.0' : undefined;
        // Now and then the same body again (Baseten refreshes every 30 s; the bridge fetches more often), at a
        // later time; sometimes a failed body comes in between, and sometimes the bridge knows the body is the
        // same without handing it over (its compressed bytes repeat: SnapshotBuilder.repeat).
        const repeats = random() < 0.3 ? 3 : 1;
        let lastGoodIsThis = false;
        for (let r = 0; r < repeats; r++) {
          // 20 s apart: the third time a body comes is past Baseten's 30 s refresh of the first (repeat stamps anew).
          const at = 1_750_000_000_000 + cycle * 100_000 + r * 20_000;
          if (r > 0 && random() < 0.3) expect(incremental.build(FAILING_BODY, undefined, at - 1).ok).toBe(false);
          const viaRepeat: boolean = lastGoodIsThis && random() < 0.5;
          const got: BuildResult = viaRepeat ? incremental.repeat(at)! : incremental.build(body, format, at);
          const context = `seed ${seed} cycle ${cycle}.${r}\n${body.toString()}`;
          if (sampleTimestamps && got.ok && got.snapshot.stampedAtMs !== at) {
            // Fetched again within Baseten's refresh of the time its lines carry: the same observation, served
            // as it was, only fetched later.
            expect(lastServed, 'only a body served before keeps its time').toBeDefined();
            expect(got.snapshot.text).toBe(lastServed!.text);
            expect([got.snapshot.stampedAtMs, got.snapshot.fetchedAtMs]).toEqual([lastServed!.stampedAtMs, at]);
            kept++;
          } else if (sampleTimestamps && got.ok) {
            const want = new SnapshotBuilder(rules, options).build(body, format, at);
            expect(want.ok).toBe(true);
            if (want.ok) departedIn += expectDeparted(got.snapshot, want.snapshot, lastServed, context);
            const {
              text: _t,
              gzip: _g,
              blocks: _b,
              ...rest
            } = view(got) as Exclude<ReturnType<typeof view>, { ok: false }>;
            const {
              text: _wt,
              gzip: _wg,
              blocks: _wb,
              ...wantRest
            } = view(want) as Exclude<ReturnType<typeof view>, { ok: false }>;
            expect(rest, context).toEqual(wantRest);
            // Its gzip bytes are its text, and its blocks cover the text in order.
            expect(gunzipSync(got.snapshot.gzip).equals(got.snapshot.text), context).toBe(true);
            expect(got.snapshot.blocks.map((b) => got.snapshot.text.toString('utf8', b.start, b.end)).join('')).toBe(
              got.snapshot.text.toString('utf8'),
            );
          } else expect(view(got), context).toEqual(view(new SnapshotBuilder(rules, options).build(body, format, at)));
          if (got.ok) {
            lastServed = got.snapshot;
            okCycles++;
            identityChanges += got.identityChanges;
            unidentified += got.unidentified.series;
            if (r > 0) repeated++;
            const stamp = ` ${got.snapshot.stampedAtMs}`;
            stampedIn += got.snapshot.text
              .toString()
              .split('\n')
              .filter((l) => l.endsWith(stamp)).length;
          }
          lastGoodIsThis ||= got.ok;
        }
      }
      // Most bodies are served: the comparison is not only of failures.
      expect(okCycles).toBeGreaterThan(6);
      repeatedInAll += repeated;
    });

    it('compared bodies served again, after the sequences', () => expect(repeatedInAll).toBeGreaterThan(40));
    it(
      'compared engine series decided again for a changed identity, and ones ' + 'served without (no platform series)',
      () => {
        expect(identityChanges).toBeGreaterThan(40);
        expect(unidentified).toBeGreaterThan(40);
      },
    );
    it('with sample timestamps, bodies served again within Baseten refresh kept their time; without, none did', () => {
      if (sampleTimestamps) expect(kept).toBeGreaterThan(20);
      else expect(kept).toBe(0);
    });
    it('compared departed series served once more without a timestamp (only with sample timestamps)', () => {
      if (sampleTimestamps) expect(departedIn).toBeGreaterThan(40);
      // Without sample timestamps no line carries the fetch time, and none is carried over.
      else expect(stampedIn).toBe(0);
    });
  },
);

describe('bodies read into the memory of bodies the builder let go', () => {
  // What the bridge does (BuilderClient.takeSpare, UpstreamClient.reuse): the next body is written over a body
  // the builder released. Were any entry still pointing into it, the overwritten bytes would change what it
  // matches, and the output would differ from a from-scratch build.
  it.each(Array.from({ length: 20 }, (_, seed) => seed + 101))('seed %i: 16 cycles, byte for byte', (seed) => {
    const random = mulberry32(seed);
    const world = new World(random);
    const rules = compileRelabelConfigs(RULES);
    const incremental = new SnapshotBuilder(rules, OPTIONS);
    let spare: Buffer | undefined;
    let reused = 0;
    for (let cycle = 0; cycle < 16; cycle++) {
      world.step();
      const text = Buffer.from(world.body());
      let memory: Buffer;
      if (spare !== undefined && spare.buffer.byteLength >= text.length) {
        memory = Buffer.from(spare.buffer);
        reused++;
      } else memory = Buffer.allocUnsafeSlow(text.length + 64);
      spare = undefined;
      // The rest of the memory holds other bytes than before: a stale pointer into it reads junk.
      memory.fill(random() < 0.5 ? 0x41 : 0x0a);
      text.copy(memory);
      const body = memory.subarray(0, text.length);
      const format = random() < 0.1 ? 'application/openmetrics-text; version=1.0.0' : undefined;
      // Now and then the same body twice: the repeated one is the builder's last body, never let go.
      const repeats = random() < 0.2 ? 2 : 1;
      for (let r = 0; r < repeats; r++) {
        const got = view(incremental.build(body, format, cycle));
        spare = incremental.takeReleased() ?? spare;
        if (spare !== undefined) expect(spare.buffer, 'the body just built is not let go').not.toBe(body.buffer);
        // Compared after the release: an entry pointing into the released memory would not show before it is written
        // over.
        expect(got, `cycle ${cycle}\n${text.toString()}`).toEqual(
          view(new SnapshotBuilder(rules, OPTIONS).build(Buffer.from(text), format, cycle)),
        );
      }
    }
    expect(reused, 'bodies were read into released memory').toBeGreaterThan(6);
  });

  it('the last line’s entry forgets a follower that pointed into a body let go', () => {
    const builder = new SnapshotBuilder(compileRelabelConfigs([]), OPTIONS);
    const own = (text: string) => {
      const memory = Buffer.allocUnsafeSlow(text.length);
      memory.write(text);
      return memory;
    };
    // x_total follows last_total, then vanishes while last_total ends the body: its entry is evicted.
    builder.build(own('a 1\nlast_total 1\nx_total{p="1"} 1\n'), undefined, 1);
    builder.build(own('a 1\nlast_total 2\n'), undefined, 2);
    const released = builder.takeReleased()!;
    expect(released.toString()).toContain('x_total');
    // The next body, written over that memory, has another series of the same length where x_total was.
    const text = 'a 1\nlast_total 3\ny_total{p="1"} 3\n';
    const body = Buffer.from(released.buffer).subarray(0, text.length);
    body.write(text);
    const got = builder.build(body, undefined, 3);
    expect(got.ok && got.snapshot.text.toString()).toContain('y_total{p="1"} 3');
  });
});
