/**
 * The Relabel debugger's form, prefilled with a series from the last fetch and the running rules; the page's
 * script posts it to /api/v1/relabel and shows each rule's effect. Every control has a label and works from
 * the keyboard (Ctrl+Enter in a text box traces).
 */
import type { RelabelConfig } from '../relabel/index.js';
import { html, type Html } from './html-template.js';
import { rulesToYaml } from './relabel-input.js';

export function debuggerSection(samples: readonly string[], rules: readonly RelabelConfig[]): Html {
  const yaml = rulesToYaml(rules);
  return html`<section id="debugger" aria-labelledby="debugger-h">
<h2 id="debugger-h">Relabel debugger</h2>
<p>Paste series (as in <code>/metrics</code> or Prometheus; the value is optional) and rules (YAML, as under
<code>metric_relabel_configs:</code>), then trace them. The same engine as the bridge runs them.</p>
<noscript><p class="note">The debugger needs JavaScript. Without it, POST to <code>api/v1/relabel</code> or run
<code>baseten-bridge relabel-test --trace</code>.</p></noscript>
<form id="relabel-form" class="debugger" novalidate>
<div class="field">
<label for="relabel-pick">A series from the last fetch</label>
<div class="inline">
<select id="relabel-pick"${samples.length === 0 ? html` disabled` : ''}>
${
  samples.length === 0
    ? html`<option value="">No data fetched yet</option>`
    : samples.map(
        (s) => html`<option \
value="${s}">${s}</option>`,
      )
}
</select>
<button type="button" id="relabel-use"${samples.length === 0 ? html` disabled` : ''}>Use this series</button>
</div>
</div>
<div class="field">
<label for="relabel-series">Series, one per line</label>
<textarea id="relabel-series" name="series" rows="4" spellcheck="false" autocomplete="off" \
aria-describedby="relabel-series-help">${samples[0] ?? ''}</textarea>
<p id="relabel-series-help" class="sub">For example <code>baseten_replicas_active{model_name="my model"}</code>. \
Lines starting with # are ignored.</p>
</div>
<div class="field">
<label for="relabel-rules">Rules (YAML), prefilled with the running config</label>
<textarea id="relabel-rules" name="rules" rows="${Math.min(16, Math.max(4, yaml.split('\n').length))}" \
spellcheck="false" autocomplete="off">${yaml}</textarea>
</div>
<div class="actions">
<button type="submit" class="primary">Trace</button>
<button type="button" id="relabel-reset">Reset rules to the running config</button>
</div>
</form>
<div id="relabel-result" class="result" aria-live="polite"></div>
</section>`;
}
