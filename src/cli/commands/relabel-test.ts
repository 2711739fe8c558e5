/**
 * `relabel-test`: series in text exposition format on stdin → the same series relabeled by the config's
 * `metric_relabel_configs` on stdout, one line per surviving input series, in input order. With `--trace`,
 * every rule's effect on each series goes to stderr.
 */
import { readFileSync } from 'node:fs';
import type { TargetConfig } from '../../config/index.js';
import { formatSampleLine, parseExposition } from '../../exposition/index.js';
import type { LabelPairs, Sample } from '../../exposition/model.js';
import { relabelWithTrace, type RelabelStep } from '../../relabel/index.js';

export interface RelabelTestIo {
  input: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

function describeLabels(labels: ReadonlyMap<string, string> | null): string {
  if (labels === null) return 'dropped';
  const parts = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function traceLines(index: number, input: ReadonlyMap<string, string>, steps: RelabelStep[], droppedBy: number | undefined): string {
  const lines = [`series ${index + 1}: ${describeLabels(input)}`];
  for (const step of steps) lines.push(`  rule ${step.index} (${step.action}): ${describeLabels(step.labels)}`);
  lines.push(droppedBy === undefined ? '  result: kept' : `  result: dropped by rule ${droppedBy}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The parser groups samples by family, which is input order for any input whose families are contiguous
 * (as the format requires); a family split across the input comes out together, at its first place.
 */
function samplesInInputOrder(input: string): { samples: Sample[]; problems: string[] } {
  const parsed = parseExposition(input, 'text');
  const samples = parsed.families.flatMap((f) => f.samples);
  const problems = parsed.invalidLines.map((l) => `relabel-test: stdin line ${l.line}: ${l.reason} (${JSON.stringify(l.excerpt)})`);
  return { samples, problems };
}

export function runRelabelTest(config: TargetConfig, trace: boolean, io: RelabelTestIo): number {
  const { samples, problems } = samplesInInputOrder(io.input);
  for (const problem of problems) io.err(`${problem}\n`);
  samples.forEach((sample, index) => {
    const input = new Map<string, string>([['__name__', sample.name]]);
    for (const [k, v] of sample.labels) if (v !== '') input.set(k, v);
    const { steps, result, droppedBy } = relabelWithTrace(input, config.relabel);
    if (trace) io.err(traceLines(index, input, steps, droppedBy));
    if (result === null) return;
    const name = result.get('__name__');
    if (name === undefined) {
      io.err(`relabel-test: series ${index + 1} lost its __name__ and would be dropped\n`);
      return;
    }
    const labels: LabelPairs = [...result].filter(([k]) => k !== '__name__');
    labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    io.out(`${formatSampleLine(name, labels, sample.value, sample.timestampMs)}\n`);
  });
  return problems.length > 0 ? 1 : 0;
}

export function relabelTestCommand(config: TargetConfig, trace: boolean): number {
  return runRelabelTest(config, trace, {
    input: readFileSync(0, 'utf8'),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
