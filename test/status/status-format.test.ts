/**
 * The status page's building blocks: escaping by default, human units, the sparkline, rule summaries, rules as YAML.
 */
import { describe, expect, it } from 'vitest';
import { compileRelabelConfigs } from '../../src/relabel/index.js';
import { html, escapeHtml } from '../../src/status/html-template.js';
import { rulesToYaml, writtenRule } from '../../src/status/relabel-input.js';
import { describeRule } from '../../src/status/status-page-cardinality.js';
import {
  formatBytes,
  formatCount,
  formatDurationMs,
  formatRelative,
  formatUtc,
} from '../../src/status/status-format.js';
import { historySummary, sparkline } from '../../src/status/status-sparkline.js';
import { HOSTILE, RUNNING_RULES } from './status-fixture.js';

describe('html', () => {
  it.each<[string, () => string, string]>([
    ['escapes text', () => html`<p>${HOSTILE}</p>`.text, '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
    [
      'escapes quotes for attributes',
      () => html`<a title="${`"' onmouseover=x`}">`.text,
      '<a title="&quot;&#39; onmouseover=x">',
    ],
    [
      'keeps markup made by html',
      () => html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.text,
      '<ul><li>a</li><li>b</li></ul>',
    ],
    [
      'writes numbers and nothing for absent values',
      () => html`${1.5}|${undefined}|${null}|${false}|${0}`.text,
      '1.5||||0',
    ],
    ['escapes the ampersand first', () => escapeHtml('&lt;'), '&amp;lt;'],
  ])('%s', (_what, render, expected) => {
    expect(render()).toBe(expected);
  });
});

describe('human units', () => {
  it.each<[string, string]>([
    [formatDurationMs(0), '0 ms'],
    [formatDurationMs(999), '999 ms'],
    [formatDurationMs(1_499), '1 s'],
    [formatDurationMs(59_000), '59 s'],
    [formatDurationMs(60_000), '1 m'],
    [formatDurationMs(245_000), '4 m 5 s'],
    [formatDurationMs(7_380_000), '2 h 3 m'],
    [formatDurationMs(273_600_000), '3 d 4 h'],
    [formatDurationMs(Number.NaN), 'unknown'],
    [formatBytes(512), '512 B'],
    [formatBytes(1536), '1.5 KiB'],
    [formatBytes(64 * 1024 * 1024), '64.0 MiB'],
    [formatBytes(-1), 'unknown'],
    [formatCount(1_234_567), '1,234,567'],
    [formatUtc(Date.UTC(2026, 0, 31, 14, 3, 12)), '2026-01-31 14:03:12 UTC'],
    [formatRelative(1_000, 13_000), '12 s ago'],
    [formatRelative(16_000, 13_000), 'in 3 s'],
    [formatRelative(13_200, 13_000), 'now'],
  ])('%s', (shown, expected) => {
    expect(shown).toBe(expected);
  });
});

describe('sparkline', () => {
  const now = Date.UTC(2026, 0, 31, 14, 0, 0);
  const history = [
    { atMs: now - 7_200_000, ok: true, durationMs: 50 },
    { atMs: now - 1_800_000, ok: true, durationMs: 200, seriesServed: 10 },
    { atMs: now - 60_000, ok: false, durationMs: 5_000, reason: 'timeout' },
  ];

  it('draws the last hour only, failures full height, as an image with a summary', () => {
    const svg = sparkline(history, now).text;
    expect(svg.match(/<rect class="bar-/g)).toHaveLength(2);
    expect(svg).toContain(
      '<rect class="bar-ok" x="120.0" y="0" width="2" ' +
        'height="32"><title>2026-01-31 13:30:00 UTC: ok, 200 ms, 10 ' +
        'series</title></rect>',
    );
    expect(svg).toContain(
      '<rect class="bar-fail" x="236.0" y="0" width="2" ' +
        'height="32"><title>2026-01-31 13:59:00 UTC: failed (timeout) after 5 s</title></rect>',
    );
    expect(svg).toContain('role="img" aria-label="Last hour: 3 fetches, 2 ok, 1 failed (timeout ×1); slowest 5 s."');
  });

  it.each<[string, Parameters<typeof historySummary>[0], string]>([
    ['nothing yet', [], 'No fetches in the last hour yet.'],
    ['one success', [{ atMs: 0, ok: true, durationMs: 10 }], 'Last hour: 1 fetch, 1 ok, 0 failed; slowest 10 ms.'],
  ])('summarises %s', (_what, records, expected) => {
    expect(historySummary(records)).toBe(expected);
  });
});

describe('rules as people write them', () => {
  it.each<[string, number, string]>([
    [
      'replace',
      0,
      'replace: source_labels: ["__name__"], regex: "baseten_.+", target_label: "team", replacement: "ml-platform"',
    ],
    ['labeldrop', 2, 'labeldrop: regex: "replica"'],
    ['dropequal', 3, 'dropequal: source_labels: ["model_name"], target_label: "model_id"'],
  ])('describes a %s rule on one line', (_what, index, expected) => {
    expect(describeRule(RUNNING_RULES[index])).toBe(expected);
  });

  it('leaves out defaults, so every effective rule compiles again to the same rule', () => {
    const all = [
      ...RUNNING_RULES.map(writtenRule),
      { action: 'hashmod', source_labels: ['a'], modulus: 8, target_label: 's' },
      { action: 'keepequal', source_labels: ['a'], target_label: 'b' },
      { action: 'labelmap', regex: 'x_(.*)', replacement: 'y_$1' },
      { action: 'lowercase', source_labels: ['a'], target_label: 'b' },
      { source_labels: ['a'], separator: '', regex: '', target_label: 'b', replacement: '' },
    ];
    const effective = compileRelabelConfigs(all).source;
    expect(compileRelabelConfigs(effective.map(writtenRule)).source).toEqual(effective);
    expect(writtenRule(effective.at(-1)!)).toEqual({
      source_labels: ['a'],
      separator: '',
      regex: '',
      target_label: 'b',
      replacement: '',
    });
  });

  it('writes YAML that reads back as the same rules', () => {
    const yaml = rulesToYaml(RUNNING_RULES);
    expect(yaml.startsWith('- source_labels: [ __name__ ]\n  regex: baseten_.+\n')).toBe(true);
    expect(rulesToYaml([])).toBe('');
  });
});
