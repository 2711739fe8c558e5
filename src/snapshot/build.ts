/**
 * From one response body to a snapshot, all or nothing. A warm cycle replays the plan the last cold cycle
 * made (replay.ts); a cold one parses, skips a few bad lines (too many fail the cycle), relabels, regroups,
 * checks the limits and renders — and leaves a plan for the next. Never throws on anything upstream sends.
 */
import { formatFromContentType, parseExposition } from '../exposition/index.js';
import type { InvalidLine, MetricFamily, Sample } from '../exposition/model.js';
import type { CompiledRules } from '../relabel/index.js';
import { SeriesRelabelCache } from '../relabel/series-cache.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import { assembleFamilies, type SampleOutcome } from './assemble.js';
import { checkLimits, type ScrapeLimits } from './limits.js';
import { replay, type ReplayPlan } from './replay.js';
import { makeReplayPlan } from './replay-plan.js';
import { createSnapshot, snapshotFromText, type Snapshot } from './snapshot.js';

export interface BuildOptions {
  limits: ScrapeLimits;
  maxInvalidLineRatio: number;
  helpSuffix: string;
}

export type BuildResult =
  | {
      ok: true;
      snapshot: Snapshot;
      invalidLines: InvalidLine[];
      dropped: Map<DropReason, number>;
      droppedByRule: Array<[rule: number, series: number]>;
      cardinality: Cardinality;
      warm: boolean;
    }
  | { ok: false; reason: 'parse' | 'sample_limit' | 'label_limit'; message: string; invalidLines: InvalidLine[] };

/** Series per served family and per label name, for the status page. */
export interface Cardinality {
  families: Array<[name: string, series: number]>;
  labels: Array<[name: string, series: number]>;
}

function countFamilies(families: readonly MetricFamily[]): Cardinality {
  const labels = new Map<string, number>();
  for (const f of families) for (const s of f.samples) for (const [name] of s.labels) labels.set(name, (labels.get(name) ?? 0) + 1);
  return { families: families.map((f) => [f.name, f.samples.length]), labels: [...labels] };
}

export function describeLine(line: InvalidLine): string {
  return `line ${line.line}: ${line.reason} (${JSON.stringify(line.excerpt)})`;
}

/** Holds what one config learns across cycles: the relabel cache and the replay plan. */
export class SnapshotBuilder {
  private readonly cache: SeriesRelabelCache;
  private plan: ReplayPlan | undefined;

  /** `plan`: one a builder with the same rules and options made (handed over to a fresh worker thread). */
  constructor(
    rules: CompiledRules,
    private readonly opts: BuildOptions,
    plan?: ReplayPlan,
  ) {
    this.cache = new SeriesRelabelCache(rules);
    this.plan = plan;
  }

  /** The plan the last cold cycle left, if it left one. */
  get replayPlan(): ReplayPlan | undefined {
    return this.plan;
  }

  build(body: Buffer, contentType: string | undefined, fetchedAtMs: number): BuildResult {
    const format = formatFromContentType(contentType);
    if (this.plan && format === 'text') {
      const warm = replay(body, this.plan);
      if (warm) {
        const snapshot = snapshotFromText(warm.text, fetchedAtMs, warm.seriesIn, warm.seriesOut);
        return { ok: true, snapshot, invalidLines: [], dropped: warm.dropped, droppedByRule: [...warm.droppedByRule], cardinality: warm.cardinality, warm: true };
      }
    }
    this.plan = undefined;
    return this.cold(body, format, fetchedAtMs);
  }

  private cold(body: Buffer, format: 'text' | 'openmetrics', fetchedAtMs: number): BuildResult {
    const opts = this.opts;
    const text = body.toString('utf8');
    if (text.trim() === '') return { ok: false, reason: 'parse', message: 'upstream answered 200 with an empty body', invalidLines: [] };
    const parsed = parseExposition(text, format, { lineNumbers: true });
    const { invalidLines, totalLines } = parsed;
    const ratio = totalLines === 0 ? 1 : invalidLines.length / totalLines;
    if (invalidLines.length > 0 && ratio > opts.maxInvalidLineRatio) {
      const looksHtml = /^\s*<(!doctype|html)/i.test(text);
      const what = looksHtml ? 'an HTML page, not metrics' : `${invalidLines.length} of ${totalLines} lines invalid, above upstream.max_invalid_line_ratio ${opts.maxInvalidLineRatio}`;
      return { ok: false, reason: 'parse', message: `upstream body is ${what}; first bad ${describeLine(invalidLines[0]!)}`, invalidLines };
    }
    this.cache.beginCycle();
    const outcomes: Array<[Sample, SampleOutcome]> = [];
    const assembled = assembleFamilies(parsed.families, this.cache, opts.helpSuffix, (sample, outcome) => outcomes.push([sample, outcome]));
    if (assembled.seriesOut === 0 && assembled.seriesIn === 0) {
      return { ok: false, reason: 'parse', message: 'upstream body holds no samples', invalidLines };
    }
    const breach = checkLimits(assembled.families, assembled.seriesOut, opts.limits);
    if (breach) return { ok: false, ...breach, invalidLines };
    const clean = format === 'text' && invalidLines.length === 0 && !assembled.dropped.has('broken_histogram') && parsed.sampleLines;
    if (clean) this.plan = makeReplayPlan(body, outcomes, parsed.sampleLines!, assembled.families, opts.limits.sampleLimit);
    // With a plan, warm cycles need no relabel cache: free it (a cold cycle rebuilds what it needs).
    if (this.plan) this.cache.clear();
    const snapshot = createSnapshot(assembled.families, fetchedAtMs, assembled.seriesIn, assembled.seriesOut);
    return { ok: true, snapshot, invalidLines, dropped: assembled.dropped, droppedByRule: [...assembled.droppedByRule], cardinality: countFamilies(assembled.families), warm: false };
  }
}
