/**
 * `relabel-test`: series in text exposition format on stdin → the same series relabeled by the config's
 * `metric_relabel_configs` on stdout, one line per series /metrics would serve, in input order. The verdict is
 * the pipeline's own (`decideSeries`), so a series the rules keep but the bridge cannot serve is said so here
 * too. With `--trace`, every rule's effect on each series goes to stderr.
 */
import { loadConfig } from '../../config/index.js';
import { formatLabels, formatSampleLine, readPastedSeries } from '../../exposition/index.js';
import { decideSeries, describeNotServed, relabelWithTrace, type RelabelStep } from '../../relabel/index.js';
import { compileTargetRules } from '../../target/index.js';
import type { CommandIo } from '../command-io.js';
import type { Flags } from '../flags.js';
import { pickTarget } from '../pick-target.js';

function describeLabels(labels: ReadonlyMap<string, string> | null): string {
  if (labels === null) return 'dropped';
  const parts = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function traceLines(index: number, input: ReadonlyMap<string, string>, steps: RelabelStep[], verdict: string): string {
  const lines = [`series ${index + 1}: ${describeLabels(input)}`];
  for (const step of steps) lines.push(`  rule ${step.index} (${step.action}): ${describeLabels(step.labels)}`);
  lines.push(`  result: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

export async function relabelTestCommand(flags: Flags, io: CommandIo): Promise<number> {
  const rules = compileTargetRules(pickTarget(loadConfig(flags.configFile), flags.target));
  const { trace } = flags;
  const { series, problems } = readPastedSeries(io.input(), 'stdin line');
  for (const problem of problems) io.err(`relabel-test: ${problem}\n`);
  series.forEach((sample, index) => {
    const decision = decideSeries(sample.name, sample.labels, rules);
    if (trace) {
      const input = new Map<string, string>([['__name__', sample.name]]);
      for (const [k, v] of sample.labels) if (v !== '') input.set(k, v);
      io.err(traceLines(index, input, relabelWithTrace(input, rules).steps, decision.kept ? 'kept' : describeNotServed(decision)));
    }
    if (!decision.kept) {
      // Said without --trace too: the rules kept it, yet /metrics would not serve it.
      if (decision.reason === 'invalid_name' && !trace) io.err(`relabel-test: series ${index + 1} (stdin line ${sample.line}): ${describeNotServed(decision)}\n`);
      return;
    }
    // A line pasted without a value comes out without one.
    io.out(`${sample.value === undefined ? decision.name + formatLabels(decision.labels) : formatSampleLine(decision.name, decision.labels, sample.value, sample.timestampMs)}\n`);
  });
  return problems.length > 0 ? 1 : 0;
}
