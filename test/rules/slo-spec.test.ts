/** SLO file validation: every problem at once, each with its YAML path and the fix (messages pinned). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateSloRules, readSloFile, SloFileError } from '../../src/rules/index.js';

const fixture = (name: string) => readFileSync(resolve(__dirname, '../testdata/rules', name), 'utf8');

function problemsOf(text: string): string[] {
  try {
    generateSloRules(text, 'slos.yml');
  } catch (err) {
    if (err instanceof SloFileError) return err.problems;
    throw err;
  }
  return [];
}

const LLMS = [
  'group by (model_id, model_name, environment) (last_over_time(baseten_llm_output_tokens_total{environment="production"}[1h])',
  'or last_over_time(vllm:generation_tokens_total{environment="production"}[1h])',
  'or last_over_time(sglang:generation_tokens_total{environment="production"}[1h]))',
].join(' ');

describe('readSloFile', () => {
  it('reports every problem of invalid-everything.yml with its path', () => {
    expect(problemsOf(fixture('invalid-everything.yml'))).toEqual([
      'slos[0].name: must be lowercase letters, digits, - or _ (e.g. llm-latency) (got "Bad Name")',
      'slos[0].objective: must be a percentage between 0 and 100, exclusive (e.g. 99.9) (got 100)',
      'slos[0].window: must be a duration of at least 1d, such as 28d or 30d (got "12h")',
      'slos[0]: needs exactly one of latency (e.g. latency: {threshold: 2.5s}) or availability (e.g. availability: {})',
      'slos[1].extra: unknown field (known fields: name, description, objective, window, selector, llm, labels, latency, availability)',
      'slos[1].objective: 90 leaves so much error budget that the 14.4x fast-burn alert could never fire; use at least 93.06',
      'slos[1].selector.le: set by the generator; remove it',
      'slos[1].labels.severity: set by the generator; remove it',
      'slos[1].latency.threshold: no bucket boundary at or under the threshold 0.1s (smallest is 0.25s): raise the threshold or check the buckets',
      'slos[2].availability.error_status_codes: not a valid regex (got "(5..")',
      'slos[3].name: "dup" is already used by slos[2]; names must be unique',
    ]);
  });

  it.each([
    ['not a map', '- 1', ['(top level): must be a map with a list under slos']],
    ['no slos', 'slos: []', ['slos: must be a non-empty list of objectives (see deploy/slo/slos.yml)']],
    ['unknown top-level key', 'slo: []\nslos: [{name: a, objective: 99, availability: {}}]', ['slo: unknown field (did you mean "slos"?)']],
    ['bad threshold', 'slos: [{name: a, objective: 99, latency: {threshold: "2,5s"}}]', ['slos[0].latency.threshold: must be a positive duration such as 2.5s, 250ms or 1m (got "2,5s")']],
    ['bad metric', 'slos: [{name: a, objective: 99, latency: {threshold: 1s, metric: ttft}}]', ['slos[0].latency.metric: must be one of end_to_end, time_to_first_byte (got "ttft")']],
    ['bad buckets', 'slos: [{name: a, objective: 99, latency: {threshold: 1s, buckets: [1, "+Inf"]}}]', ["slos[0].latency.buckets: must be a list of the histogram's positive bucket boundaries in seconds (the le values, without +Inf)"]],
    ['llm not a boolean', 'slos: [{name: a, objective: 99, llm: "yes", availability: {}}]', ['slos[0].llm: must be true (only LLM models) or false (only the others) (got "yes")']],
    ['invalid YAML', fixture('invalid-yaml.yml'), ['line 3 column 19: YAML syntax error (Flow sequence in block collection must be sufficiently indented and end with a ])']],
  ])('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('reports every YAML syntax error, each with its line and column', () => {
    const problems = problemsOf('slos:\n  - name: [a\n    objective: {99\n');
    expect(problems.length).toBeGreaterThan(1);
    for (const problem of problems) expect(problem).toMatch(/^line \d+ column \d+: YAML syntax error \(.+\)$/);
  });

  it.each([
    ['2.5s', 2.5],
    ['250ms', 0.25],
    ['1m', 60],
    ['1m30s', 90],
    [2.5, 2.5],
  ])('threshold %j is %d s', (threshold, seconds) => {
    const { slos, problems } = readSloFile({ slos: [{ name: 'a', objective: 99, latency: { threshold } }] });
    expect(problems).toEqual([]);
    expect(slos[0]?.sli).toMatchObject({ kind: 'latency', thresholdSeconds: seconds });
  });

  it.each([
    [99.9, 0.999],
    ['99.9%', 0.999],
    ['95', 0.95],
  ])('objective %j is %d', (objective, fraction) => {
    expect(readSloFile({ slos: [{ name: 'a', objective, availability: {} }] }).slos[0]?.objective).toBeCloseTo(fraction, 12);
  });

  it.each([
    // LLMs: the ratio only for models that exported a marker in the window (BIS-LLM's, or a vLLM or SGLang
    // engine's); the markers have no is_async.
    [true, `and on (model_id, model_name, environment)\n${LLMS}`],
    [false, `unless on (model_id, model_name, environment)\n${LLMS}`],
  ])('llm: %s scopes the SLI to LLMs or to the other models, per window', (llm, tail) => {
    const text = generateSloRules(`slos: [{name: a, objective: 99, llm: ${llm}, selector: {environment: production, is_async: "false"}, latency: {threshold: 1s, buckets: [1]}}]`, 'slos.yml');
    const rule = (parse(text) as { groups: Array<{ rules: Array<{ record?: string; expr: string }> }> }).groups[0]!.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!;
    expect(rule.expr.startsWith('(\n  1 - (\n')).toBe(true);
    expect(rule.expr.endsWith(`)\n${tail}`)).toBe(true);
  });

  it('without llm, every model is judged: no marker in the rules', () => {
    expect(generateSloRules('slos: [{name: a, objective: 99, availability: {}}]', 'slos.yml')).not.toContain('baseten_llm_');
  });
});
