/** Starts a real Prometheus (Debian's 2.42) on a free loopback port with a given config, for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

export interface RunningPrometheus {
  url: string;
  /** Instant query, at `atSeconds` (Unix time) when given, else now; returns the result vector. */
  query(
    promql: string,
    atSeconds?: number,
  ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** GET of an API path (`/api/v1/rules`): its `data`, or a throw when the status is not success. */
  api<T>(path: string): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(binary: string, configYaml: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      'Prometheus to be ready',
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      30_000,
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    url,
    async query(promql, atSeconds) {
      const at = atSeconds === undefined ? '' : `&time=${atSeconds}`;
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}${at}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result;
    },
    async api<T>(path: string) {
      const body = (await (await fetch(`${url}${path}`)).json()) as { status: string; error?: string; data: T };
      if (body.status !== 'success') throw new Error(`${path} failed: ${body.error}`);
      return body.data;
    },
    output: () => output,
    stop,
  };
}

/**
 * A Prometheus config that scrapes one bridge at `target` (host:port) every `interval` under `job` (by default
 * `baseten`, the job name the shipped bridge alerts select), and evaluates every rule file the kit ships
 * (deploy/prometheus/rules/*.yml) and `extraRuleFiles` as often.
 */
export function kitPrometheusConfig(
  target: string,
  interval: string,
  { job = 'baseten', extraRuleFiles = [] }: { job?: string; extraRuleFiles?: string[] } = {},
): string {
  const dir = resolve(__dirname, '../../deploy/prometheus/rules');
  const ruleFiles = readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => join(dir, file));
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'rule_files:',
    ...[...ruleFiles, ...extraRuleFiles].map((file) => `  - ${file}`),
    'scrape_configs:',
    `  - job_name: ${job}`,
    `    static_configs: [{targets: ['${target}']}]`,
    '',
  ].join('\n');
}
