/**
 * Which series are the bridge's (`--bridge.selector`), as monitoring mixins make their job selector a parameter:
 * `job="baseten"` is the scrape job of deploy/prometheus/prometheus.yml and of the Kubernetes ServiceMonitor, a
 * default, not a constant. Every rule of `rules --alerts=bridge` selects with it, so a bridge scraped under
 * another job name gets alerts that work, not a BasetenBridgeDown that fires forever.
 */

export const DEFAULT_BRIDGE_SELECTOR = 'job="baseten"';

/** One PromQL label matcher: a label name, an operator and a double-quoted value (escapes allowed). */
const MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\\n]|\\.)*"\s*`;
const SELECTOR = new RegExp(`^${MATCHER}(?:,${MATCHER})*$`);

/** Why `value` cannot be `--bridge.selector` (to follow `"value" `), or undefined when it can. */
export function bridgeSelectorProblem(value: string): string | undefined {
  if (SELECTOR.test(value)) return undefined;
  return (
    'is not a list of PromQL label matchers without braces (e.g. ' +
    'job="baseten-eu" or job=~"baseten.*",cluster="prod")'
  );
}

/** `metric{selector}`, with `extra` matchers after the selector's: `up{job="baseten"}`. */
export function selectBridge(metric: string, selector: string, extra = ''): string {
  const parts = [selector.trim(), extra].filter((p) => p !== '');
  return `${metric}{${parts.join(', ')}}`;
}
