/**
 * POST /api/v1/relabel over real HTTP: a table of {series, rules → per-series steps and verdict}, and a
 * table of refused requests with their exact messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedSeries } from '../../src/status/relabel-explain.js';
import { RELABEL_API_LIMITS } from '../../src/status/relabel-api.js';
import { HOSTILE, RUNNING_RULES, startStatusApp, statusSource, type TestServer } from './status-fixture.js';

let app: TestServer;
beforeAll(async () => {
  app = await startStatusApp({ status: statusSource() });
});
afterAll(() => app.close());

interface Answer {
  status: number;
  body: { status: string; errorType?: string; error?: string; data?: { rules: unknown[]; series: ExplainedSeries[] } };
}

async function post(body: unknown, contentType = 'application/json'): Promise<Answer> {
  const res = await fetch(`${app.base}/api/v1/relabel`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The verdict of one series in a short form: kept → the output line, else what dropped it. */
function verdict(s: ExplainedSeries): string {
  if (s.kept) return `kept ${s.outputText}`;
  return s.droppedBy !== undefined ? `dropped by ${s.droppedBy}` : `not served: ${s.reason}`;
}

describe('traces', () => {
  it.each<[string, unknown, string[]]>([
    [
      'a series without a value through a replace',
      [{ source_labels: ['a'], target_label: 'b' }],
      ['kept x{a="1",b="1"}'],
    ],
    ['a keep that drops', [{ source_labels: ['a'], regex: '2', action: 'keep' }], ['dropped by 0']],
    ['no rules at all', [], ['kept x{a="1"}']],
    ['an empty YAML string as no rules', '', ['kept x{a="1"}']],
    ['rules as a YAML list', '- source_labels: [a]\n  regex: "1"\n  action: drop\n', ['dropped by 0']],
    ['rules as a scrape config excerpt', 'metric_relabel_configs:\n  - {action: labeldrop, regex: a}\n', ['kept x']],
    [
      'a rule that renames to an invalid metric name',
      [{ target_label: '__name__', replacement: 'bad-name' }],
      ['not served: "bad-name" is not a valid metric name in text format 0.0.4, so the series is not served'],
    ],
    [
      'a rule that removes __name__',
      [{ action: 'labeldrop', regex: '__name__' }],
      ['not served: the rules removed __name__, and a series without a name is not served'],
    ],
    [
      'a labelmap to a UTF-8 name',
      [{ action: 'labelmap', regex: 'a', replacement: 'a.b' }],
      ['not served: label name "a.b" cannot be written in text format 0.0.4, so the series is not served'],
    ],
  ])('%s', async (_what, rules, expected) => {
    const { status, body } = await post({ series: 'x{a="1"}', rules });
    expect(status).toBe(200);
    expect(body.data!.series.map(verdict)).toEqual(expected);
  });

  it('gives the labels after each rule, the changes and the final labels', async () => {
    const { body } = await post({
      series:
        `# HELP ignored\n\nbaseten_replicas_active{model_name="whisper large",` +
        `replica="r1",empty=""} 3 1700000000000\n`,
    });
    expect(body.status).toBe('success');
    expect(body.data!.series).toEqual([
      {
        line: 3,
        input: { __name__: 'baseten_replicas_active', model_name: 'whisper large', replica: 'r1' },
        inputText: 'baseten_replicas_active{model_name="whisper large",replica="r1"}',
        steps: [
          {
            rule: 0,
            action: 'replace',
            labels: {
              __name__: 'baseten_replicas_active',
              model_name: 'whisper large',
              replica: 'r1',
              team: 'ml-platform',
            },
            changes: [{ label: 'team', before: null, after: 'ml-platform' }],
          },
          {
            rule: 1,
            action: 'replace',
            labels: { __name__: 'baseten_replicas_active', model_name: 'whisper large', replica: 'r1', team: 'audio' },
            changes: [{ label: 'team', before: 'ml-platform', after: 'audio' }],
          },
          {
            rule: 2,
            action: 'labeldrop',
            labels: { __name__: 'baseten_replicas_active', model_name: 'whisper large', team: 'audio' },
            changes: [{ label: 'replica', before: 'r1', after: null }],
          },
          {
            rule: 3,
            action: 'dropequal',
            labels: { __name__: 'baseten_replicas_active', model_name: 'whisper large', team: 'audio' },
            changes: [],
          },
          {
            rule: 4,
            action: 'replace',
            labels: { __name__: 'baseten_replicas_active', model_name: 'whisper large', team: 'audio' },
            changes: [],
          },
        ],
        kept: true,
        result: { __name__: 'baseten_replicas_active', model_name: 'whisper large', team: 'audio' },
        outputText: 'baseten_replicas_active{model_name="whisper large",team="audio"}',
      },
    ]);
  });

  it('uses the running rules when none are sent, answering them as written', async () => {
    const { body } = await post({ series: `a{model_name="m",model_id="m"}\nb{model_name="${HOSTILE}"}` });
    expect(body.data!.rules).toHaveLength(RUNNING_RULES.length);
    expect(body.data!.rules[3]).toEqual({
      source_labels: ['model_name'],
      target_label: 'model_id',
      action: 'dropequal',
    });
    expect(body.data!.series.map(verdict)).toEqual(['dropped by 3', `kept b{model_name="${HOSTILE}"}`]);
    expect(body.data!.series[0]!.steps.at(-1)).toEqual({ rule: 3, action: 'dropequal', labels: null, changes: [] });
  });

  it(
    "attaches an engine series' deployment identity as a step of its own: " +
      'from pasted platform series, else from the last fetch',
    async () => {
      const { body } = await post({
        series: [
          'vllm:num_requests_waiting{deployment_id="d1",replica="r1",model_name="org/served"}',
          'baseten_replicas_active{deployment_id="d1",model_id="m1",model_name="chat",environment="staging"}',
          'sglang:token_usage{deployment_id="d-hostile",replica="r2"}',
          'vllm:num_requests_running{deployment_id="unknown",replica="r3"}',
        ].join('\n'),
        rules: [{ source_labels: ['model_name'], regex: 'chat', target_label: 'team', replacement: 'chat-team' }],
      });
      const [engine, platform, fromFetch, unknown] = body.data!.series;
      expect(engine!.steps[0]).toEqual({
        rule: -1,
        action: 'identity',
        deployment: 'd1',
        labels: {
          __name__: 'vllm:num_requests_waiting',
          deployment_id: 'd1',
          environment: 'staging',
          exported_model_name: 'org/served',
          model_id: 'm1',
          model_name: 'chat',
          replica: 'r1',
        },
        changes: [
          { label: 'environment', before: null, after: 'staging' },
          { label: 'exported_model_name', before: null, after: 'org/served' },
          { label: 'model_id', before: null, after: 'm1' },
          { label: 'model_name', before: 'org/served', after: 'chat' },
        ],
      });
      expect(engine!.input).toEqual({
        __name__: 'vllm:num_requests_waiting',
        deployment_id: 'd1',
        model_name: 'org/served',
        replica: 'r1',
      });
      expect(verdict(engine!)).toBe(
        'kept vllm:num_requests_waiting{deployment_id="d1",' +
          'environment="staging",exported_model_name="org/served",model_id="m1",' +
          'model_name="chat",replica="r1",team="chat-team"}',
      );
      expect(platform!.steps.map((step) => step.action)).toEqual(['replace']);
      expect(fromFetch!.steps[0]).toMatchObject({ rule: -1, action: 'identity', deployment: 'd-hostile' });
      expect(fromFetch!.result).toMatchObject({ model_id: 'abc', model_name: HOSTILE, environment: 'production' });
      expect(unknown!.steps.map((step) => step.action)).toEqual(['replace']);
    },
  );

  it('keeps input order and line numbers across families', async () => {
    const { body } = await post({ series: 'b 1\na{x="1"}\n\nb{y="2"} 2\n', rules: [] });
    expect(body.data!.series.map((s) => [s.line, s.inputText])).toEqual([
      [1, 'b'],
      [2, 'a{x="1"}'],
      [4, 'b{y="2"}'],
    ]);
  });
});

describe('refuses', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `x{i="${i}"}`).join('\n');
  it.each<[string, unknown, number, string]>([
    [
      'a series line it cannot read',
      { series: 'ok 1\nx{a=b}\ny{a="1",a="2"}' },
      400,
      'series line 2: expected label value, found `b` ("x{a=b}")\nseries ' +
        'line 3: duplicate label name `a` ("y{a=\\"1\\",a=\\"2\\"}")',
    ],
    [
      'no series',
      { series: '# only a comment\n' },
      400,
      'series: no series given (paste one or more lines such as ' +
        'baseten_replicas_active{model_name="x"}, with or without a value)',
    ],
    [
      'series that is not a string',
      { series: ['x'] },
      400,
      'series: must be a string of lines in text format, got list (send "series": "up{job=\\"x\\"}")',
    ],
    [
      'an invalid rule, with the series problem too',
      { series: 'x{', rules: [{ regex: '(', target_label: 'y' }, { action: 'nope' }] },
      400,
      [
        'series line 1: expected label name, found end of line ("x{")',
        'rules[0].regex: error parsing regexp: missing closing ): `^(?s:()$` ' +
          '(write an RE2 regex: no backreferences or lookaround; it is anchored as ^(?s:REGEX)$)',
        'rules[1].action: unknown relabel action "nope" (use one of: replace, ' +
          'keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, ' +
          'labelkeep, lowercase, uppercase)',
      ].join('\n'),
    ],
    [
      'rules that are not a list',
      { series: 'x', rules: 3 },
      400,
      'rules: must be a list of relabel rules, got number (write each rule as a "- source_labels: [...]" list item)',
    ],
    [
      'YAML rules that do not parse',
      { series: 'x', rules: '- [a\n' },
      400,
      'rules: line 1 column 5: YAML syntax error (Flow sequence in block ' +
        'collection must be sufficiently indented and end with a ])',
    ],
    [
      'an unknown field',
      { series: 'x', rule: [] },
      400,
      'relabel: unknown field "rule" (send "series" and, optionally, "rules")',
    ],
    [
      'a body that is not an object',
      [],
      400,
      'relabel: the body must be a JSON object such as {"series": "up{job=\\"x\\"}"}',
    ],
    ['a body that is not JSON', '{"series": ', 400, 'relabel: the body is not valid JSON'],
    [
      'too many series',
      { series: many(RELABEL_API_LIMITS.series + 1), rules: [] },
      400,
      `series: 201 series given, at most 200 per request (trace fewer at once)`,
    ],
    [
      'too many rules',
      { series: 'x', rules: Array.from({ length: 201 }, () => ({ regex: '(a?){1000}a{1000}', target_label: 'y' })) },
      400,
      'rules: 201 rules given, at most 200 per request (trace fewer at once)',
    ],
    [
      'too many rules in YAML',
      { series: 'x', rules: `metric_relabel_configs:\n${'  - action: labeldrop\n    regex: z\n'.repeat(201)}` },
      400,
      'metric_relabel_configs: 201 rules given, at most 200 per request (trace fewer at once)',
    ],
    [
      'too much work',
      { series: many(200), rules: Array.from({ length: 101 }, () => ({ action: 'labeldrop', regex: 'z' })) },
      400,
      'relabel: 200 series × 101 rules is 20200 steps, at most 20000 per request (trace fewer series at once)',
    ],
    [
      'a YAML alias bomb',
      {
        series: 'x',
        rules: `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        ).join('\n')}\n`,
      },
      400,
      'rules: YAML error (Excessive alias count indicates a resource exhaustion attack; use at most 20 aliases)',
    ],
    [
      'a body over the limit',
      { series: 'x'.repeat(RELABEL_API_LIMITS.bodyBytes) },
      413,
      'relabel: the body is larger than 131072 bytes (send fewer series)',
    ],
  ])('%s', async (_what, body, status, error) => {
    const answer = await post(body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ status: 'error', errorType: 'bad_data', error });
  });

  it.each([
    [
      'a form body',
      'POST',
      'application/x-www-form-urlencoded',
      415,
      'relabel: send a JSON body with Content-Type: application/json',
    ],
    [
      'an empty JSON body',
      'POST',
      'application/json',
      400,
      'series: must be a string of lines in text format, got undefined (send "series": "up{job=\\"x\\"}")',
    ],
    ['a GET', 'GET', undefined, 405, 'relabel: use POST with a JSON body'],
  ])('%s', async (_what, method, contentType, status, error) => {
    const res = await fetch(`${app.base}/api/v1/relabel`, {
      method,
      // A same-origin Origin: without one a form body is refused earlier, as cross-site (cross-site.ts).
      ...(contentType
        ? {
            headers: { 'Content-Type': contentType, Origin: app.base },
            body: contentType === 'application/json' ? '' : 'series=x',
          }
        : {}),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ status: 'error', errorType: 'bad_data', error });
  });
});
