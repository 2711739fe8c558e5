/**
 * Runs relabel data-file cases through a real Prometheus: each case's input series is served as text
 * exposition on a loopback HTTP server, scraped by one job whose metric_relabel_configs are the case's rules
 * wrapped so that the case's rules see exactly the case's input:
 * - the job scrapes with `honor_labels: true`, so input labels named `job` or `instance` reach the rules
 *   as written; the scrape adds its own `job` (the case name) and `instance` (a per-case sentinel) only when
 *   the input lacks them, and the first rules delete exactly those values;
 * - a placeholder metric name (exposition requires one) is deleted when the case's input has no `__name__`;
 * - after them, the placeholder name is restored if the rules left the series nameless (Prometheus rejects
 *   nameless samples) and a marker label records the case, so its series can be found.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RelabelCase } from './case-files.js';

export const PLACEHOLDER_NAME = 'difftest_unnamed';
export const MARKER = 'difftest_case';

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** One sample of the case's input series in text format 0.0.4. */
export function exposition(input: ReadonlyMap<string, string>): string {
  const pairs = [...input].filter(([name]) => name !== '__name__').map(([n, v]) => `${n}="${escapeValue(v)}"`);
  return `${input.get('__name__') ?? PLACEHOLDER_NAME}{${pairs.join(',')}} 1\n`;
}

function quoteRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function sentinelInstance(c: RelabelCase): string {
  return `difftest-target-${c.name}`;
}

export function wrappedRules(c: RelabelCase): unknown[] {
  return [
    { source_labels: ['job'], regex: quoteRegex(c.name), target_label: 'job', replacement: '' },
    { source_labels: ['instance'], regex: quoteRegex(sentinelInstance(c)), target_label: 'instance', replacement: '' },
    { source_labels: ['__name__'], regex: PLACEHOLDER_NAME, target_label: '__name__', replacement: '' },
    ...(c.rules as unknown[]),
    { source_labels: ['__name__'], regex: '', target_label: '__name__', replacement: PLACEHOLDER_NAME },
    { target_label: MARKER, replacement: c.name },
  ];
}

export function prometheusConfig(cases: RelabelCase[], targetPort: number): string {
  return stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: cases.map((c) => ({
      job_name: c.name,
      metrics_path: `/case/${c.name}`,
      honor_labels: true,
      static_configs: [{ targets: [`127.0.0.1:${targetPort}`] }],
      relabel_configs: [{ target_label: 'instance', replacement: sentinelInstance(c) }],
      metric_relabel_configs: wrappedRules(c),
    })),
  });
}

/** Serves every case's exposition at /case/<name>. */
export async function serveCases(cases: RelabelCase[]): Promise<{ server: Server; port: number }> {
  const bodies = new Map(cases.map((c) => [`/case/${c.name}`, exposition(c.input)]));
  const server = createHttpServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(body ?? 'no such case\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'relabel-difftest-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `promtool check config`: whether Prometheus would load the file, and what it said. */
export function checkConfig(promtool: string, file: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(promtool, ['check', 'config', file], (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
  });
}

export function writeConfig(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly process: ChildProcess;
  /** The last part of Prometheus's log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export function startPrometheus(binary: string, configFile: string, dataDir: string, port: number): RunningPrometheus {
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns a value, failing with `describe()` after the deadline. */
export async function pollUntil<T>(
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval, not synchronisation
  }
}

interface ApiResponse<T> {
  status: string;
  data: T;
}

export async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(base + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  const body = (await res.json()) as ApiResponse<T>;
  if (body.status !== 'success') throw new Error(`${path}: status ${body.status}`);
  return body.data;
}

export type Series = Record<string, string>;
export interface VectorSample {
  metric: Series;
  value: [number, string];
}

/** The series each case produced, with the marker and the placeholder name removed. */
export function seriesByCase(series: Series[]): Map<string, Series[]> {
  const byCase = new Map<string, Series[]>();
  for (const s of series) {
    const { [MARKER]: name, ...labels } = s;
    if (name === undefined) continue;
    if (labels.__name__ === PLACEHOLDER_NAME) delete labels.__name__;
    byCase.set(name, [...(byCase.get(name) ?? []), labels]);
  }
  return byCase;
}
