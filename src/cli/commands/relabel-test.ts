/**
 * `relabel-test`: series in text exposition format on stdin → the same series relabeled by the config's
 * `metric_relabel_configs` on stdout, one line per series /metrics would serve, in input order. The verdict is
 * the pipeline's own (`decideSeries`), so a series the rules keep but the bridge cannot serve is said so here
 * too. An engine series (vLLM, SGLang) gets its deployment's identity from the platform series on stdin before
 * the rules, as the pipeline does from the body. With `--trace`, that step and every rule's effect on each
 * series go to stderr.
 */
import { loadConfig } from '../../config/index.js';
import { formatLabels, formatSampleLine, readPastedSeries } from '../../exposition/index.js';
import {
  decideSeries,
  describeNotServed,
  identitiesOf,
  relabelWithTrace,
  seriesLabels,
  withIdentity,
  type RelabelStep,
} from '../../relabel/index.js';
import { compileTargetRules } from '../../targets/index.js';
import type { CommandIo } from '../command-io.js';
import type { Flags } from '../flags.js';
import { pickTarget } from '../pick-target.js';

function describeLabels(labels: ReadonlyMap<string, string> | null): string {
  if (labels === null) return 'dropped';
  const parts = [...labels]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

function traceLines(
  index: number,
  input: ReadonlyMap<string, string>,
  identity: { deployment: string; labels: ReadonlyMap<string, string> } | undefined,
  steps: RelabelStep[],
  verdict: string,
): string {
  const lines = [`series ${index + 1}: ${describeLabels(input)}`];
  if (identity)
    lines.push(`  identity of deployment ${JSON.stringify(identity.deployment)}: ${describeLabels(identity.labels)}`);
  for (const step of steps) lines.push(`  rule ${step.index} (${step.action}): ${describeLabels(step.labels)}`);
  lines.push(`  result: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

export async function relabelTestCommand(flags: Flags, io: CommandIo): Promise<number> {
  const target = pickTarget(loadConfig(flags.configFile), flags.target);
  const rules = compileTargetRules(target);
  const { trace } = flags;
  const { series, problems } = readPastedSeries(io.input(), 'stdin line');
  for (const problem of problems) io.err(`relabel-test: ${problem}\n`);
  const identities = target.upstream.engineIdentity ? identitiesOf(series) : new Map();
  series.forEach((sample, index) => {
    const { labels, attached } = withIdentity(sample.name, sample.labels, identities);
    const decision = decideSeries(sample.name, labels, rules);
    if (trace) {
      const identified = seriesLabels(sample.name, labels);
      const identity = attached && { deployment: attached.deploymentId, labels: identified };
      io.err(
        traceLines(
          index,
          seriesLabels(sample.name, sample.labels),
          identity,
          relabelWithTrace(identified, rules).steps,
          decision.kept ? 'kept' : describeNotServed(decision),
        ),
      );
    }
    if (!decision.kept) {
      // Said without --trace too: the rules kept it, yet /metrics would not serve it.
      if (decision.reason === 'invalid_name' && !trace)
        io.err(`relabel-test: series ${index + 1} (stdin line ${sample.line}): ${describeNotServed(decision)}\n`);
      return;
    }
    // A line pasted without a value comes out without one.
    const line =
      sample.value === undefined
        ? decision.name + formatLabels(decision.labels)
        : formatSampleLine(decision.name, decision.labels, sample.value, sample.timestampMs);
    io.out(`${line}\n`);
  });
  return problems.length > 0 ? 1 : 0;
}
