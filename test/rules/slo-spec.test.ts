/** SLO file validation: every problem at once, each with its YAML path and the fix (messages pinned). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateSloRules, readSloFile, SloFileError, type LatencyObjective } from '../../src/rules/index.js';

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
  'group by (model_id, model_name, environment) ' +
    '(last_over_time(baseten_llm_output_tokens_total{environment="production"}[1h])',
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
      'slos[1].extra: unknown field (known fields: name, description, ' +
        'objective, window, selector, llm, labels, latency, availability)',
      'slos[1].objective: 90 leaves so much error budget that the 14.4x ' +
        'fast-burn alert could never fire; use at least 93.06',
      'slos[1].selector.le: set by the generator; remove it',
      'slos[1].labels.severity: set by the generator; remove it',
      'slos[1].latency.threshold: no bucket boundary at or under the ' +
        'threshold 0.1s (smallest is 0.25s): raise the threshold or check the buckets',
      'slos[2].availability.error_status_codes: not a valid regex (got "(5..")',
      'slos[3].name: "dup" is already used by slos[2]; names must be unique',
    ]);
  });

  it.each([
    ['not a map', '- 1', ['(top level): must be a map with a list under slos']],
    ['no slos', 'slos: []', ['slos: must be a non-empty list of objectives (see deploy/slo/slos.yml)']],
    [
      'unknown top-level key',
      'slo: []\nslos: [{name: a, objective: 99, availability: {}}]',
      ['slo: unknown field (did you mean "slos"?)'],
    ],
    [
      'bad threshold',
      'slos: [{name: a, objective: 99, latency: {threshold: "2,5s"}}]',
      ['slos[0].latency.threshold: must be a positive duration such as 2.5s, 250ms or 1m (got "2,5s")'],
    ],
    [
      'bad metric',
      'slos: [{name: a, objective: 99, latency: {threshold: 1s, metric: ttft}}]',
      [
        'slos[0].latency.metric: must be one of end_to_end, time_to_first_byte,' +
          ' engine_time_to_first_token, engine_inter_token_latency (got "ttft")',
      ],
    ],
    [
      'bad buckets',
      'slos: [{name: a, objective: 99, latency: {threshold: 1s, buckets: [1, "+Inf"]}}]',
      [
        "slos[0].latency.buckets: must be a list of the histogram's positive " +
          'bucket boundaries in seconds (the le values, without +Inf)',
      ],
    ],
    [
      'llm not a boolean',
      'slos: [{name: a, objective: 99, llm: "yes", availability: {}}]',
      ['slos[0].llm: must be true (only LLM models) or false (only the others) (got "yes")'],
    ],
    [
      'invalid YAML',
      fixture('invalid-yaml.yml'),
      [
        'line 3 column 19: YAML syntax error (Flow sequence in block ' +
          'collection must be sufficiently indented and end with a ])',
      ],
    ],
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
    expect(readSloFile({ slos: [{ name: 'a', objective, availability: {} }] }).slos[0]?.objective).toBeCloseTo(
      fraction,
      12,
    );
  });

  it.each([
    // LLMs: the ratio only for models that exported a marker in the window (BIS-LLM's, or a vLLM or SGLang
    // engine's); the markers have no is_async.
    [true, `and on (model_id, model_name, environment)\n${LLMS}`],
    [false, `unless on (model_id, model_name, environment)\n${LLMS}`],
  ])('llm: %s scopes the SLI to LLMs or to the other models, per window', (llm, tail) => {
    const text = generateSloRules(
      `slos: [{name: a, objective: 99, llm: ${llm}, selector: {environment: ` +
        `production, is_async: "false"}, latency: {threshold: 1s, buckets: [1]}}]`,
      'slos.yml',
    );
    const rule = (
      parse(text) as { groups: Array<{ rules: Array<{ record?: string; expr: string }> }> }
    ).groups[0]!.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!;
    expect(rule.expr.startsWith('(\n  1 - (\n')).toBe(true);
    expect(rule.expr.endsWith(`)\n${tail}`)).toBe(true);
  });

  it('reports every problem of invalid-engine-latency.yml with its path', () => {
    expect(problemsOf(fixture('invalid-engine-latency.yml'))).toEqual([
      "slos[0].latency.buckets: the engines' boundaries are known and used " +
        "(vLLM's and SGLang's differ); remove buckets (rules --probe reads " +
        "them from Baseten if an engine's were changed)",
      "slos[0].selector.is_async: the engines' series do not carry it (an " +
        'engine counts every request it served); remove it',
      'slos[0].llm: an engine metric judges the models served by vLLM or SGLang, LLMs all; remove llm',
      'slos[1].latency.threshold: 2.5s is not a bucket boundary of ' +
        'sglang:time_to_first_token_seconds (nearest: 2s and 4s), and the ' +
        'histogram counts requests only at its boundaries: use a boundary ' +
        'every engine has (0.1s, 1s, 10s, 20s, 40s, 80s), or leave SGLang out ' +
        '(engines: [vllm])',
      'slos[2].latency.engines: must be a list of the engines the objective ' +
        'reads, each once: vllm, sglang (got ["sglang","tgi"])',
      'slos[3].latency.engines: applies to the engine metrics only ' +
        '(engine_time_to_first_token, engine_inter_token_latency); remove it',
      'slos[4].latency.threshold: 0.003s is not a bucket boundary of ' +
        'sglang:inter_token_latency_seconds (nearest: 0.002s and 0.004s), and ' +
        'the histogram counts requests only at its boundaries: use one of its boundaries',
    ]);
  });

  it.each([
    // Each engine's own grid (ENGINES.md): 2.5 s is vLLM's, 2 s SGLang's, 1 s both's.
    ['engine_time_to_first_token', '2.5s', '[vllm]', ['vllm']],
    ['engine_time_to_first_token', '2s', '[sglang]', ['sglang']],
    ['engine_time_to_first_token', '1s', '[vllm, sglang]', ['vllm', 'sglang']],
    ['engine_inter_token_latency', '0.1s', '[sglang, vllm]', ['vllm', 'sglang']],
  ])('%s within %s of engines %s: a boundary of each, read in engine order', (metric, threshold, engines, read) => {
    const { slos, problems, warnings } = readSloFile(
      parse(
        `slos: [{name: a, objective: 99, latency: {metric: ${metric}, threshold: ${threshold}, engines: ${engines}}}]`,
      ),
    );
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    const sli = slos[0]!.sli as LatencyObjective;
    expect(sli.histograms.map((h) => h.engine)).toEqual(read);
  });

  it("--probe: an engine's boundaries seen on Baseten are used, and said to differ from its defaults", () => {
    const seen = new Map([['sglang:time_to_first_token_seconds', [0.5, 1, 2.5, 5]]]);
    const { slos, problems, warnings } = readSloFile(
      parse('slos: [{name: a, objective: 99, latency: {metric: engine_time_to_first_token, threshold: 2.5s}}]'),
      seen,
    );
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      "slos[0].latency: the boundaries seen on Baseten's " +
        'sglang:time_to_first_token_seconds (0.5, 1, 2.5, 5) are not the ' +
        "engine's defaults; the ones seen are used",
    ]);
    expect((slos[0]!.sli as LatencyObjective).histograms.map((h) => h.buckets?.length)).toEqual([22, 4]);
  });

  it(
    "an engine's SLI sums the good and all requests of both engines, old " +
      'vLLM names beside new ones, each engine once',
    () => {
      const text = generateSloRules(
        'slos: [{name: itl, objective: 99, selector: {environment: production},' +
          ' latency: {metric: engine_inter_token_latency, threshold: 0.1s}}]',
        'slos.yml',
      );
      const rule = (
        parse(text) as { groups: Array<{ rules: Array<{ record?: string; expr: string }> }> }
      ).groups[0]!.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!;
      const sel = 'environment="production"';
      const le = `${sel}, le=~"0\\\\.10*"`;
      expect(rule.expr).toBe(
        [
          '1 - (',
          '  sum by (model_id, model_name, environment) (max without (tp_rank, pp_rank) (',
          `    rate(vllm:inter_token_latency_seconds_bucket{${le}}[1h])`,
          '    or',
          `    rate(vllm:time_per_output_token_seconds_bucket{${le}}[1h])`,
          '    or',
          `    rate(sglang:inter_token_latency_seconds_bucket{${le}}[1h])`,
          '  ))',
          '  /',
          '  sum by (model_id, model_name, environment) (max without (tp_rank, pp_rank) (',
          `    rate(vllm:inter_token_latency_seconds_count{${sel}}[1h])`,
          '    or',
          `    rate(vllm:time_per_output_token_seconds_count{${sel}}[1h])`,
          '    or',
          `    rate(sglang:inter_token_latency_seconds_count{${sel}}[1h])`,
          '  ))',
          ')',
        ].join('\n'),
      );
      expect(text).toContain(
        'Objective: 99% of the gaps between output tokens within 0.1s (the ' +
          "vLLM or SGLang engine's inter-token latency) over 30d",
      );
    },
  );

  it('without llm, every model is judged: no marker in the rules', () => {
    expect(generateSloRules('slos: [{name: a, objective: 99, availability: {}}]', 'slos.yml')).not.toContain(
      'baseten_llm_',
    );
  });
});
