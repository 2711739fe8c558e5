/**
 * Real remote-write receivers on loopback ports, started by the tests: Prometheus 2.42 with
 * --web.enable-remote-write-receiver, and VictoriaMetrics. Both answer "which series with which values
 * did you store?" in one shape, so one test body checks both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';

/** One stored sample: the series' labels (with __name__), its value and timestamp. */
export interface StoredSample {
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

export interface Receiver {
  kind: string;
  /** The remote-write URL. */
  writeUrl: string;
  /** Every sample stored with a timestamp in [fromMs, toMs]. */
  samples(fromMs: number, toMs: number): Promise<StoredSample[]>;
  /** Stops the process (keeping its data when `keepData`), for "the receiver is down" tests. */
  stop(keepData?: boolean): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  output(): string;
  /** What this receiver keeps of the samples it was sent (VictoriaMetrics drops NaN samples). */
  keeps(expected: Map<string, number>): Map<string, number>;
  /** Whether a stored value is the sent one, as far as the receiver's storage can tell. */
  sameValue(stored: number, sent: number): boolean;
}

interface ProcessSpec {
  keeps: Receiver['keeps'];
  sameValue: Receiver['sameValue'];
  kind: string;
  binary: string;
  args(port: number, dir: string): string[];
  readyPath: string;
  writePath: string;
  samples(base: string, fromMs: number, toMs: number): Promise<StoredSample[]>;
}

async function startReceiver(spec: ProcessSpec): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), `bridge-rw-${spec.kind}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const proc = spawn(spec.binary, spec.args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    child = proc;
    await pollUntil(
      `${spec.kind} to be ready`,
      async () => ((await fetch(`${base}${spec.readyPath}`)).ok ? true : undefined),
      30_000,
    );
  };
  const kill = async () => {
    child?.kill('SIGTERM');
    await exited;
    child = undefined;
  };
  try {
    await launch();
  } catch (err) {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    kind: spec.kind,
    writeUrl: `${base}${spec.writePath}`,
    samples: (fromMs, toMs) => spec.samples(base, fromMs, toMs),
    async stop(keepData = false) {
      await kill();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    restart: launch,
    output: () => output,
    keeps: spec.keeps,
    sameValue: spec.sameValue,
  };
}

export function startPrometheusReceiver(binary: string): Promise<Receiver> {
  return startReceiver({
    kind: 'prometheus',
    binary,
    args: (port, dir) => {
      writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
      return [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--log.level=warn',
      ];
    },
    // The TSDB stores float64 bits as they came: NaN and subnormals included.
    keeps: (expected) => expected,
    sameValue: (stored, sent) => Object.is(stored, sent) || stored === sent,
    readyPath: '/-/ready',
    writePath: '/api/v1/write',
    async samples(base, fromMs, toMs) {
      // A range selector returns every raw sample in the window, NaN included, with its own timestamp.
      const windowMs = Math.max(1, toMs - fromMs);
      const query = `{__name__=~".+"}[${windowMs}ms]`;
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}&time=${toMs / 1000}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
      };
      if (body.status !== 'success') throw new Error(`prometheus query failed: ${body.error}`);
      return body.data.result.flatMap((series) =>
        series.values.map(([t, v]) => ({
          labels: series.metric,
          value: Number(v.replace('Inf', 'Infinity')),
          timestampMs: Math.round(t * 1000),
        })),
      );
    },
  });
}

export function startVictoriaMetrics(binary: string): Promise<Receiver> {
  return startReceiver({
    kind: 'victoria-metrics',
    binary,
    args: (port, dir) => [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${join(dir, 'data')}`,
      // Without it, samples younger than 30 s are invisible to queries (not to /api/v1/export, but say it anyway).
      '-search.latencyOffset=0s',
      '-loggerLevel=ERROR',
      '-retentionPeriod=100y',
      '-search.disableCache',
    ],
    // VictoriaMetrics drops NaN samples on ingestion (only Prometheus staleness markers are kept) and stores
    // values as decimals of 12 significant digits or so (lib/decimal), which flushes subnormals to 0.
    keeps: (expected) => new Map([...expected].filter(([, v]) => !Number.isNaN(v))),
    sameValue: (stored, sent) =>
      stored === sent ||
      (Math.abs(sent) < 1e-300 && stored === 0) ||
      Math.abs(stored - sent) <= 1e-12 * Math.max(Math.abs(stored), Math.abs(sent)),
    readyPath: '/health',
    writePath: '/api/v1/write',
    async samples(base, fromMs, toMs) {
      const match = encodeURIComponent('{__name__=~".+"}');
      const url = `${base}/api/v1/export?match[]=${match}&start=${fromMs / 1000}&end=${toMs / 1000}`;
      const text = await (await fetch(url)).text();
      const out: StoredSample[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        // NaN and Inf are exported as bare words, which JSON.parse does not read.
        const json = line.replace(/([[,])(NaN|[+-]?Inf)(?=[,\]])/g, '$1"$2"');
        const series = JSON.parse(json) as {
          metric: Record<string, string>;
          values: Array<number | string>;
          timestamps: number[];
        };
        series.values.forEach((v, i) =>
          out.push({
            labels: series.metric,
            value: typeof v === 'string' ? Number(v.replace('Inf', 'Infinity')) : v,
            timestampMs: series.timestamps[i]!,
          }),
        );
      }
      return out;
    },
  });
}
