/**
 * Which models are LLMs, for the rules that judge them by time to first byte rather than end to end (an LLM's
 * end-to-end time follows the length of its answer, not its health): BIS-LLM deployments, and only they, export
 * Baseten's `baseten_llm_*` families (Baseten's supported-metrics reference, "BIS-LLM metrics"), and deployments
 * served by vLLM or SGLang export the engine's, which carry the model's Baseten identity once the bridge attaches it.
 */
import { ENGINE_FAMILIES, familyNames } from './engine-families.js';
import { by, matchers, SLO_AGGREGATION } from './promql.js';

/** One family of each kind, not all: every LLM produces output tokens, and one counter a pod is cheap to select. */
export const LLM_MARKERS: readonly string[] = [
  'baseten_llm_output_tokens_total',
  ...familyNames(ENGINE_FAMILIES.generationTokens),
];

/** The markers as the rule files' comments name them, on a line of their own (~100 characters). */
export const LLM_MARKER_TEXT = LLM_MARKERS.join(', ');

/** Labels of the request families that the LLM families do not carry: a matcher on them would select nothing. */
const REQUEST_ONLY_LABELS = ['is_async'];

/**
 * The models (model_id, model_name, environment) that exported a marker at any time in `window`, not only now:
 * an LLM scaled to zero exports no `baseten_llm_*` series, and its requests of the window are still an LLM's.
 */
export function llmModels(window: string, selector: Record<string, string> = {}): string {
  const own = matchers(
    Object.fromEntries(Object.entries(selector).filter(([name]) => !REQUEST_ONLY_LABELS.includes(name))),
  );
  const markers = LLM_MARKERS.map((marker) => `last_over_time(${marker}${own}[${window}])`);
  return `group ${by(SLO_AGGREGATION)} (${markers.join(' or ')})`;
}

/** `expr` for LLM models only (`and`) or for every other model (`unless`), matched per model. */
export function forLlms(llm: boolean, expr: string, models: string): string {
  return `${expr}\n${llm ? 'and' : 'unless'} on (${SLO_AGGREGATION.join(', ')})\n${models}`;
}
