/**
 * Which models are LLMs, for the rules that judge them by time to first byte rather than end to end (an LLM's
 * end-to-end time follows the length of its answer, not its health). BIS-LLM deployments, and only they, export
 * Baseten's `baseten_llm_*` families (Baseten's supported-metrics reference, "BIS-LLM metrics").
 */
import { by, matchers, SLO_AGGREGATION } from './promql.js';

/** One family of them, not all: every LLM produces output tokens, and one counter a pod is cheap to select. */
export const LLM_MARKER = 'baseten_llm_output_tokens_total';

/** Labels of the request families that the LLM families do not carry: a matcher on them would select nothing. */
const REQUEST_ONLY_LABELS = ['is_async'];

/**
 * The models (model_id, model_name, environment) that exported the marker at any time in `window`, not only now:
 * an LLM scaled to zero exports no `baseten_llm_*` series, and its requests of the window are still an LLM's.
 */
export function llmModels(window: string, selector: Record<string, string> = {}): string {
  const own = Object.fromEntries(Object.entries(selector).filter(([name]) => !REQUEST_ONLY_LABELS.includes(name)));
  return `group ${by(SLO_AGGREGATION)} (last_over_time(${LLM_MARKER}${matchers(own)}[${window}]))`;
}

/** `expr` for LLM models only (`and`) or for every other model (`unless`), matched per model. */
export function forLlms(llm: boolean, expr: string, models: string): string {
  return `${expr}\n${llm ? 'and' : 'unless'} on (${SLO_AGGREGATION.join(', ')})\n${models}`;
}
