/**
 * How a target is summed up for people: the same facts in the running bridge's start-up log line (fields) and
 * in check-config's summary line (words), so the two never disagree.
 */
import { formatDuration, type ResolvedKey, type TargetConfig } from '../config/index.js';
import { keyPrefix } from '../log/index.js';

interface TargetFacts {
  url: string;
  interval: string;
  timeout: string;
  maxStaleness: string;
  /** The target's own rules, without the one rule per static label. */
  ownRules: number;
  /** The static labels as `{name="value", ...}`, or undefined without any. */
  labels: string | undefined;
}

function targetFacts(target: TargetConfig): TargetFacts {
  const up = target.upstream;
  const labels = Object.entries(target.labels).map(([k, v]) => `${k}="${v}"`);
  return {
    url: up.url,
    interval: formatDuration(up.intervalMs),
    timeout: formatDuration(up.timeoutMs),
    maxStaleness: formatDuration(up.maxStalenessMs),
    ownRules: target.relabel.length - labels.length,
    labels: labels.length > 0 ? `{${labels.join(', ')}}` : undefined,
  };
}

/** The start-up log line's fields: the rules counted as check-config counts them, the static labels apart. */
export function targetLogFields(target: TargetConfig, key: ResolvedKey): Record<string, string | number> {
  const facts = targetFacts(target);
  return {
    target: target.name,
    upstream: facts.url,
    interval: facts.interval,
    timeout: facts.timeout,
    max_staleness: facts.maxStaleness,
    max_requests_per_minute: target.upstream.maxRequestsPerMinute,
    relabel_rules: facts.ownRules,
    ...(facts.labels !== undefined ? { labels: facts.labels } : {}),
    key: keyPrefix(key.key),
    key_source: key.source,
  };
}

/** check-config's words for a target, ending with what it says of the key. */
export function targetLine(target: TargetConfig, keyText: string): string {
  const { url, interval, timeout, maxStaleness, ownRules, labels } = targetFacts(target);
  return (
    `upstream ${url} every ${interval} (timeout ${timeout}, max staleness ${maxStaleness}), ` +
    `${ownRules} relabel rule(s)${labels !== undefined ? `, labels ${labels}` : ''}, ${keyText}`
  );
}
