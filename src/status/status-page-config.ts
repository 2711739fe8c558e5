/**
 * The Config section: the running config as the bridge reports it for people (the key only as its prefix
 * and source), and a button that POSTs /-/reload. The button is a plain form, so it works without the script;
 * with it, the answer is shown in place. Without --web.enable-lifecycle /-/reload answers 403, so the page
 * says how to enable it instead of offering a button that cannot work.
 */
import { stringify } from 'yaml';
import { html, type Html } from './html-template.js';

function reloadControl(lifecycle: boolean): Html {
  if (!lifecycle) {
    return html`<p class="sub" id="reload-disabled">Reloading from here is off: start the bridge with \
<code>--web.enable-lifecycle</code> to enable <code>/-/reload</code>, or send it SIGHUP.</p>`;
  }
  return html`<form id="reload-form" method="post" action="-/reload" class="actions">
<button type="submit">Reload config</button>
<span class="sub">Re-reads <code>--config.file</code> and <code>--web.config.file</code>, as SIGHUP does; a config \
with a problem is refused.</span>
</form>
<p id="reload-result" role="status"></p>`;
}

export function configSection(view: Record<string, unknown>, lifecycle: boolean): Html {
  return html`<section id="config" aria-labelledby="config-h">
<h2 id="config-h">Config</h2>
<div class="scroll"><pre class="config" tabindex="0" aria-label="Running \
config">${stringify(view, { lineWidth: 0 })}</pre></div>
${reloadControl(lifecycle)}
</section>`;
}
