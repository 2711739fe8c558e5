/**
 * The status page's stylesheet, served as /assets/status-page.css. Readable down to a 320 px wide window:
 * one column, tables scroll inside their box, long series wrap. Colours pass WCAG AA contrast on white.
 */
export const STATUS_PAGE_STYLE = `:root {
  --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --ok: #1a7f37; --fail: #cf222e; --accent: #0550ae; --warn: #9a6700;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--fg); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
code, pre, textarea, select, .url, .name {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875rem;
}
code, .url, .name, .series, .message { overflow-wrap: anywhere; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 0.5rem; }
.skip:focus { left: 0.5rem; z-index: 1; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
.sub { color: var(--muted); font-size: 0.875rem; }
header.top { border-bottom: 1px solid var(--line); padding: 1rem 0 0.5rem; }
header.top h1 { margin: 0 0 0.25rem; font-size: 1.5rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.5rem 0 0; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 0.75rem; }
h3 { font-size: 1.05rem; margin: 0; }
section { scroll-margin-top: 1rem; }
.target { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
.target.is-down { border-left: 6px solid var(--fail); }
.target.is-up { border-left: 6px solid var(--ok); }
.target-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.75rem; margin-bottom: 0.5rem; }
.badge { font-weight: 600; padding: 0 0.5rem; border-radius: 999px; color: #fff; font-size: 0.875rem; }
.badge.up { background: var(--ok); }
.badge.down { background: var(--fail); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.5rem 1.5rem; margin: 0; }
.fact dt { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; }
.fact dd { margin: 0; }
.fact .sub { display: block; }
.reason { font-weight: 600; color: var(--fail); }
.warning { border-left: 4px solid var(--warn); padding: 0.25rem 0.75rem; margin: 0.75rem 0 0; overflow-wrap: anywhere; }
meter { width: 8rem; max-width: 100%; height: 0.8rem; vertical-align: middle; }
.spark { margin: 0.75rem 0 0; }
.spark svg { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.spark-bg { fill: var(--panel); }
.bar-ok { fill: var(--ok); }
.bar-fail { fill: var(--fail); }
.spark figcaption { color: var(--muted); font-size: 0.875rem; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.name { overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bar { width: 20%; }
td.bar meter { width: 100%; }
.field { margin-bottom: 0.75rem; }
.field label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.inline { display: flex; flex-wrap: wrap; gap: 0.5rem; }
select { min-width: 0; max-width: 100%; flex: 1 1 16rem; padding: 0.3rem; }
textarea { width: 100%; padding: 0.5rem; border: 1px solid var(--muted); border-radius: 4px; resize: vertical; }
button {
  font: inherit; padding: 0.35rem 0.9rem; border: 1px solid var(--muted); border-radius: 4px; background: var(--panel);
  color: var(--fg); cursor: pointer;
}
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.6; cursor: not-allowed; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.result { margin-top: 1rem; }
.trace { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
.steps { padding-left: 1.25rem; margin: 0.5rem 0; }
.steps li { margin-bottom: 0.35rem; }
.rule { color: var(--muted); font-weight: 600; }
.change { display: inline-block; margin-right: 0.25rem; overflow-wrap: anywhere; }
.change.add { color: var(--ok); }
.change.del { color: var(--fail); }
.change.mod { color: var(--warn); }
.change.same { color: var(--muted); }
details { font-size: 0.875rem; }
summary { cursor: pointer; color: var(--muted); }
.verdict { margin: 0.25rem 0 0; overflow-wrap: anywhere; }
.verdict.kept strong { color: var(--ok); }
.verdict.dropped strong { color: var(--fail); }
.error { border-left: 4px solid var(--fail); padding: 0.25rem 0.75rem; background: #fff5f5; }
.error pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
#reload-result.ok { color: var(--ok); }
#reload-result.error { color: var(--fail); white-space: pre-wrap; }
pre.config {
  background: var(--panel); padding: 0.75rem; border-radius: 6px; margin: 0 0 0.75rem; white-space: pre-wrap;
  overflow-wrap: anywhere;
}
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: 0.75rem; }
`;
