/**
 * The work of POST /api/v1/relabel as a pure function of the request body and the running rules, so it can
 * run in a worker thread (relabel-worker.ts): reading the series and rules, compiling the rules and tracing
 * them is CPU work whose cost the caller chooses (a regex such as `(a?){1000}a{1000}` costs ~100 ms per
 * series), and must never hold the event loop that answers /metrics and /-/healthy. The bounds here are
 * sized for a person pasting a few series and a config's rules; the worker's time budget covers the rest.
 */
import { explainSeries } from './relabel-explain.js';
import { parseSeriesLines, readRules, RelabelInputError, writtenRule } from './relabel-input.js';
import { identitiesOf, type DeploymentIdentity, type RelabelConfig } from '../relabel/index.js';

/**
 * What a trace runs with besides the request: the running config's rules, and the deployments' identities the
 * last fetch stated (attached to engine series as the pipeline does; pasted platform series override them).
 */
export interface TraceContext {
  rules: readonly RelabelConfig[];
  identities: ReadonlyArray<[deploymentId: string, identity: DeploymentIdentity]>;
}

export const RELABEL_API_LIMITS = {
  bodyBytes: 128 * 1024,
  series: 200,
  /** Rules sent with the request (the running config's are the operator's and not counted). */
  rules: 200,
  /** Series × rules: each step copies a label set into the answer. */
  steps: 20_000,
} as const;

const FIELDS: ReadonlySet<string> = new Set(['series', 'rules']);

export type RelabelAnswer = { status: 200; data: unknown } | { status: 400; error: string };

function bad(error: string): RelabelAnswer {
  return { status: 400, error };
}

export function answerRelabel(body: unknown, context: TraceContext): RelabelAnswer {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return bad('relabel: the body must be a JSON object such as {"series": "up{job=\\"x\\"}"}');
  }
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0)
    return bad(
      `relabel: unknown field ` +
        `${unknown.map((k) => JSON.stringify(k)).join(', ')} (send "series" ` +
        `and, optionally, "rules")`,
    );
  const { series: rawSeries, rules: rawRules } = body as { series?: unknown; rules?: unknown };
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof RelabelInputError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const series = attempt(() => parseSeriesLines(rawSeries, RELABEL_API_LIMITS.series));
  const rules = attempt(() => readRules(rawRules, context.rules, RELABEL_API_LIMITS.rules));
  if (problems.length > 0 || !series || !rules) return bad(problems.join('\n'));
  const steps = series.length * Math.max(rules.rules.length, 1);
  if (steps > RELABEL_API_LIMITS.steps) {
    return bad(
      `relabel: ${series.length} series × ${rules.rules.length} rules is ` +
        `${steps} steps, at most ${RELABEL_API_LIMITS.steps} per request ` +
        `(trace fewer series at once)`,
    );
  }
  const identities = new Map([...context.identities, ...identitiesOf(series)]);
  return {
    status: 200,
    data: { rules: rules.source.map(writtenRule), series: explainSeries(series, rules, identities) },
  };
}
