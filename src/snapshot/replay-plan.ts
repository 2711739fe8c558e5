/**
 * Makes the replay plan from a cold cycle: each sample line's raw series bytes mapped to what the full
 * path made of it, and each output family's header. Only a clean cycle makes a plan (text format, no
 * invalid lines, no duplicates, nothing dropped as a broken histogram): anything else stays on the cold path.
 */
import { escapeHelpText } from '../exposition/index.js';
import type { MetricFamily, Sample } from '../exposition/model.js';
import type { SampleOutcome } from './assemble.js';
import type { PlanEntry, ReplayPlan } from './replay.js';
import { seriesEnd } from './series-key.js';

const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;

/** Start offset of every line (index 0 is line 1) and the comment lines, as the replay reads them. */
function scanLines(body: Buffer): { starts: number[]; ends: number[]; comments: string[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const comments: string[] = [];
  for (let pos = 0; pos < body.length; ) {
    let lineEnd = body.indexOf(NL, pos);
    if (lineEnd < 0) lineEnd = body.length;
    let end = lineEnd;
    if (end > pos && body[end - 1] === CR) end--;
    starts.push(pos);
    ends.push(end);
    if (end > pos && body[pos] === HASH) comments.push(body.toString('latin1', pos, end));
    pos = lineEnd + 1;
  }
  return { starts, ends, comments };
}

function header(family: MetricFamily): Buffer {
  const help = family.help !== undefined ? `# HELP ${family.name} ${escapeHelpText(family.help)}\n` : '';
  return Buffer.from(`${help}# TYPE ${family.name} ${family.type}\n`);
}

export function makeReplayPlan(
  body: Buffer,
  outcomes: ReadonlyArray<[Sample, SampleOutcome]>,
  sampleLines: ReadonlyMap<Sample, number>,
  families: readonly MetricFamily[],
  sampleLimit: number,
): ReplayPlan | undefined {
  const familyIndex = new Map(families.map((f, i) => [f.name, i]));
  const { starts, ends, comments } = scanLines(body);
  const entries = new Map<string, PlanEntry>();
  const labelSets: string[][] = [];
  const labelSetIds = new Map<string, number>();
  for (const [sample, outcome] of outcomes) {
    const line = sampleLines.get(sample);
    if (line === undefined) return undefined;
    const start = starts[line - 1]!;
    const keyEnd = seriesEnd(body, start, ends[line - 1]!);
    if (keyEnd < 0) return undefined;
    const key = body.toString('latin1', start, keyEnd);
    if (entries.has(key)) return undefined;
    if ('dropped' in outcome) {
      if (outcome.dropped !== 'relabel' && outcome.dropped !== 'invalid_name') return undefined;
      entries.set(key, outcome.rule !== undefined ? { dropped: outcome.dropped, rule: outcome.rule } : { dropped: outcome.dropped });
      continue;
    }
    const family = familyIndex.get(outcome.family);
    if (family === undefined) return undefined;
    const names = outcome.labelNames.join('\u0000');
    let labelSet = labelSetIds.get(names);
    if (labelSet === undefined) {
      labelSet = labelSets.push(outcome.labelNames) - 1;
      labelSetIds.set(names, labelSet);
    }
    entries.set(key, { family, prefix: Buffer.from(`${outcome.series} `), labelSet });
  }
  return { signature: comments.join('\n'), headers: families.map(header), familyNames: families.map((f) => f.name), labelSets, entries, sampleLimit };
}
