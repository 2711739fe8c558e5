/** `baseten-bridge relabel-test`: series on stdin → relabeled series on stdout, with an optional trace. */
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, runBridge } from '../helpers/bridge-process.js';

const home = mkdtempSync(join(tmpdir(), 'bridge-relabel-test-'));
const data = (name: string) => resolve(__dirname, '../testdata/relabel-test', name);
const input = readFileSync(data('input.prom'), 'utf8');

describe('baseten-bridge relabel-test', () => {
  it('prints one line per surviving series, in input order, in the text format', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['relabel-test', `--config.file=${data('rules.yml')}`],
      childEnv({}, home),
      input,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'baseten_replicas_active{deployment_id="d1",model_name="whisper\\\\large",team="audio"} 2',
        'baseten_replicas_active{deployment_id="d2",model_name="Llama 3.1 \\"70B\\""} 1',
        'baseten_inference_requests_total{model_name="模型-ü",status_code="200"} 1.5e+06 1700000000000',
        '',
      ].join('\n'),
    );
  });

  it('--trace shows every rule on stderr and which rule dropped a series', async () => {
    const { code, stderr } = await runBridge(
      ['relabel-test', '--trace', `--config.file=${data('rules.yml')}`],
      childEnv({}, home),
      input,
    );
    expect(code).toBe(0);
    const first = stderr.split('series 2:')[0];
    expect(first).toBe(
      [
        'series 1: {__name__="baseten_replicas_active", deployment_id="d1", ' +
          'model_name="whisper\\\\large", rollout_phase="stable"}',
        '  rule 0 (replace): {__name__="baseten_replicas_active", ' +
          'deployment_id="d1", model_name="whisper\\\\large", ' +
          'rollout_phase="stable", team="audio"}',
        '  rule 1 (drop): {__name__="baseten_replicas_active", ' +
          'deployment_id="d1", model_name="whisper\\\\large", ' +
          'rollout_phase="stable", team="audio"}',
        '  rule 2 (labeldrop): {__name__="baseten_replicas_active", ' +
          'deployment_id="d1", model_name="whisper\\\\large", team="audio"}',
        '  result: kept',
        '',
      ].join('\n'),
    );
    expect(stderr).toContain('series 3: {__name__="baseten_request_size_bytes_bucket"');
    expect(stderr).toMatch(
      /series 3: [^\n]*\n {2}rule 0 \(replace\)[^\n]*\n {2}rule 1 \(drop\): dropped\n {2}result: dropped by rule 1\n/,
    );
  });

  it(
    "attaches an engine series' deployment identity from the platform " + 'series on stdin, as a step of its own',
    async () => {
      const stdin = [
        'vllm:kv_cache_usage_perc{deployment_id="d1",replica="r1",model_name="openai/whisper-large-v3"} 0.5',
        'baseten_replicas_active{deployment_id="d1",' +
          'model_id="m1",model_name="whisper large",' +
          'environment="production"} 1',
        'sglang:token_usage{deployment_id="d9",replica="r2"} 0.1',
        '',
      ].join('\n');
      const { code, stdout, stderr } = await runBridge(
        ['relabel-test', '--trace', `--config.file=${data('rules.yml')}`],
        childEnv({}, home),
        stdin,
      );
      expect(code).toBe(0);
      expect(stdout.split('\n')[0]).toBe(
        'vllm:kv_cache_usage_perc{deployment_id="d1",environment="production",' +
          'exported_model_name="openai/whisper-large-v3",model_id="m1",' +
          'model_name="whisper large",replica="r1",team="audio"} 0.5',
      );
      expect(stderr.split('series 2:')[0]).toBe(
        [
          'series 1: {__name__="vllm:kv_cache_usage_perc", deployment_id="d1", ' +
            'model_name="openai/whisper-large-v3", replica="r1"}',
          '  identity of deployment "d1": {__name__="vllm:kv_cache_usage_perc", ' +
            'deployment_id="d1", environment="production", ' +
            'exported_model_name="openai/whisper-large-v3", model_id="m1", ' +
            'model_name="whisper large", replica="r1"}',
          '  rule 0 (replace): {__name__="vllm:kv_cache_usage_perc", ' +
            'deployment_id="d1", environment="production", ' +
            'exported_model_name="openai/whisper-large-v3", model_id="m1", ' +
            'model_name="whisper large", replica="r1", team="audio"}',
          '  rule 1 (drop): {__name__="vllm:kv_cache_usage_perc", ' +
            'deployment_id="d1", environment="production", ' +
            'exported_model_name="openai/whisper-large-v3", model_id="m1", ' +
            'model_name="whisper large", replica="r1", team="audio"}',
          '  rule 2 (labeldrop): {__name__="vllm:kv_cache_usage_perc", ' +
            'deployment_id="d1", environment="production", ' +
            'exported_model_name="openai/whisper-large-v3", model_id="m1", ' +
            'model_name="whisper large", replica="r1", team="audio"}',
          '  result: kept',
          '',
        ].join('\n'),
      );
      // A deployment with no platform series on stdin: as it came, no identity step.
      expect(stderr).toMatch(
        /series 3: \{__name__="sglang:token_usage", deployment_id="d9", replica="r2"\}\n {2}rule 0/,
      );
    },
  );

  it('exits 1 with every error on an invalid config', async () => {
    const { code, stderr } = await runBridge(
      ['relabel-test', `--config.file=${resolve(__dirname, '../testdata/config/invalid-relabel-and-upstream.yml')}`],
      childEnv({}, home),
      input,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('metric_relabel_configs[0]');
  });

  it('names bad input lines and exits 1', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['relabel-test', `--config.file=${data('rules.yml')}`],
      childEnv({}, home),
      'ok_metric 1\nbad{ 2\n',
    );
    expect(code).toBe(1);
    expect(stdout).toBe('ok_metric 1\n');
    expect(stderr).toBe('relabel-test: stdin line 2: expected label name, found `2` ("bad{ 2")\n');
  });
});

describe("baseten-bridge relabel-test gives the pipeline's verdict", () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-relabel-verdict-'));
  const badRule = join(dir, 'bad-rule.yml');
  writeFileSync(badRule, 'metric_relabel_configs:\n  - target_label: "bad-name"\n    replacement: x\n');

  it('does not call a series kept that /metrics would drop (invalid target label)', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['relabel-test', '--trace', `--config.file=${badRule}`],
      childEnv({}, home),
      'baseten_replicas_active{model_name="a"} 1\n',
    );
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      '  result: not served: label name "bad-name" cannot be written in text ' +
        'format 0.0.4 (use [a-zA-Z_][a-zA-Z0-9_]*) (rule 0)\n',
    );
    expect(stderr).not.toContain('result: kept');
  });

  it('says so without --trace too', async () => {
    const { stdout, stderr } = await runBridge(
      ['relabel-test', `--config.file=${badRule}`],
      childEnv({}, home),
      'baseten_replicas_active{model_name="a"} 1\n',
    );
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'relabel-test: series 1 (stdin line 1): not served: label name ' +
        '"bad-name" cannot be written in text format 0.0.4 (use ' +
        '[a-zA-Z_][a-zA-Z0-9_]*) (rule 0)\n',
    );
  });

  it('takes series without a value, as the status page API does', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['relabel-test', `--config.file=${data('rules.yml')}`],
      childEnv({}, home),
      'baseten_replicas_active{model_name="whisper"}\nbaseten_cycles\n',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('baseten_replicas_active{model_name="whisper",team="audio"}\nbaseten_cycles\n');
  });
});
