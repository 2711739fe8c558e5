/**
 * The status page's only script, served as /assets/status-page.js (the CSP allows no inline script). Plain
 * JavaScript for any current browser, no build step. It only ever writes text into the page (textContent,
 * never innerHTML), so labels from upstream stay text here too.
 */
export const STATUS_PAGE_SCRIPT = String.raw`'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const quote = (v) => '"' + v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') + '"';
  const labelsText = (labels) => {
    const rest = Object.keys(labels).filter((k) => k !== '__name__').map((k) => k + '=' + quote(labels[k]));
    return (labels.__name__ || '') + '{' + rest.join(', ') + '}';
  };
  const ruleText = (rule) => Object.keys(rule).map((k) => k + ': ' + JSON.stringify(rule[k])).join(', ') || 'replace';

  function changeText(c) {
    if (c.before === null) return '+ ' + c.label + '=' + quote(c.after);
    if (c.after === null) return '− ' + c.label + '=' + quote(c.before);
    return c.label + ': ' + quote(c.before) + ' → ' + quote(c.after);
  }

  function renderSeries(s, i, rules) {
    const art = el('article', 'trace');
    art.append(el('h3', null, 'Series ' + (i + 1) + ' (line ' + s.line + ')'));
    const input = el('p', 'series');
    input.append(el('code', null, s.inputText));
    art.append(input);
    const steps = el('ol', 'steps');
    for (const step of s.steps) {
      const li = el('li');
      const identity = step.action === 'identity';
      const rule = identity
        ? el('span', 'rule', 'identity of deployment ' + step.deployment)
        : el('span', 'rule', 'rule ' + step.rule + ' · ' + step.action);
      rule.title = identity
        ? "the deployment's Baseten model_id, model_name and environment, attached before the rules"
        : ruleText(rules[step.rule] || {});
      li.append(rule, ' ');
      if (step.labels === null) li.append(el('strong', 'change del', 'dropped the series'));
      else if (step.changes.length === 0) li.append(el('span', 'change same', 'no change'));
      else for (const c of step.changes) {
        const kind = c.before === null ? 'add' : c.after === null ? 'del' : 'mod';
        li.append(el('code', 'change ' + kind, changeText(c)), ' ');
      }
      if (step.labels !== null) {
        const details = el('details');
        details.append(el('summary', null, 'labels after'), el('code', null, labelsText(step.labels)));
        li.append(details);
      }
      steps.append(li);
    }
    if (s.steps.length === 0) steps.append(el('li', 'change same', 'no rules to apply'));
    art.append(steps);
    const verdict = el('p', 'verdict ' + (s.kept ? 'kept' : 'dropped'));
    if (s.kept) verdict.append(el('strong', null, 'Served as '), el('code', null, s.outputText));
    else if (s.droppedBy !== undefined) {
      const action = s.steps[s.steps.length - 1].action;
      verdict.append(el('strong', null, 'Dropped by rule ' + s.droppedBy + ' (' + action + ')'));
    }
    else verdict.append(el('strong', null, 'Not served: '), s.reason);
    art.append(verdict);
    return art;
  }

  const form = $('relabel-form');
  const out = $('relabel-result');
  if (form && out) {
    const series = $('relabel-series');
    const rules = $('relabel-rules');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      out.replaceChildren(el('p', 'sub', 'Tracing…'));
      let body;
      try {
        const res = await fetch('api/v1/relabel', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ series: series.value, rules: rules.value }),
        });
        body = await res.json();
      } catch (err) {
        body = { status: 'error', error: 'The bridge did not answer (' + err.message + ')' };
      }
      if (body.status !== 'success') {
        const p = el('div', 'error');
        p.setAttribute('role', 'alert');
        p.append(el('strong', null, 'Cannot trace: '), el('pre', null, body.error));
        out.replaceChildren(p);
        return;
      }
      const n = body.data.series.length;
      const r = body.data.rules.length;
      const head = el('p', 'summary', n + ' series traced through ' + r + (r === 1 ? ' rule; ' : ' rules; ') +
        body.data.series.filter((s) => s.kept).length + ' served.');
      out.replaceChildren(head, ...body.data.series.map((s, i) => renderSeries(s, i, body.data.rules)));
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    $('relabel-use').addEventListener('click', () => {
      series.value = $('relabel-pick').value;
      series.focus();
    });
    $('relabel-reset').addEventListener('click', () => {
      rules.value = rules.defaultValue;
    });
  }

  const reload = $('reload-form');
  const reloadResult = $('reload-result');
  if (reload && reloadResult) {
    reload.addEventListener('submit', async (event) => {
      event.preventDefault();
      reloadResult.className = '';
      reloadResult.textContent = 'Reloading…';
      try {
        const res = await fetch(reload.getAttribute('action'), { method: 'POST' });
        const text = (await res.text()).trim();
        reloadResult.className = res.ok ? 'ok' : 'error';
        reloadResult.textContent = res.ok ? text + ' Refresh the page to see the new config.' : text;
      } catch (err) {
        reloadResult.className = 'error';
        reloadResult.textContent = 'The bridge did not answer (' + err.message + ')';
      }
    });
  }
})();
`;
