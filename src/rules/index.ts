/**
 * @module rules — `baseten-bridge rules --slo FILE`: per-model SLOs (latency and availability) → Prometheus
 * recording and multi-window, multi-burn-rate alerting rules. Pure: text in, text out; the CLI reads the file.
 */
import { parseDocument } from 'yaml';
import { renderRuleFile } from './render.js';
import { sloRuleGroups } from './slo-rules.js';
import { readSloFile } from './slo-spec.js';

export { BURN_WINDOWS, burnRate } from './burn-rate.js';
export { bucketsInExposition } from './bucket-check.js';
export { chooseBucket, leRegexFor } from './latency-bucket.js';
export { RUNBOOK_BASE, sloRuleGroups, type AlertingRule, type RecordingRule, type RuleGroup } from './slo-rules.js';
export { readSloFile, type Slo } from './slo-spec.js';

export class SloFileError extends Error {
  override name = 'SloFileError';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`slo file ${origin}: ${problems.join('; ')}`);
  }
}

/**
 * SLO file text → rule file text; throws SloFileError with every problem and its YAML path. `seenBuckets`: the
 * histograms' boundaries read from Baseten (`--probe`); `warn` hears thresholds that may never fire.
 */
export function generateSloRules(text: string, origin: string, options: { seenBuckets?: ReadonlyMap<string, number[]>; warn?: (warning: string) => void } = {}): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0].line;
    throw new SloFileError(origin, [`not valid YAML${line ? ` at line ${line}` : ''} (${first.code}); fix the syntax`]);
  }
  const { slos, problems, warnings } = readSloFile(doc.toJS(), options.seenBuckets);
  if (problems.length > 0) throw new SloFileError(origin, problems);
  for (const warning of warnings) options.warn?.(warning);
  return renderRuleFile(sloRuleGroups(slos), origin);
}
