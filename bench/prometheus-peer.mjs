// A real Prometheus 2.42 (Debian) scraping a payload, for comparison in the same run. Measured as
// bridge-peer.mjs measures the bridge (proc.mjs): CPU from /proc/<pid>/stat divided by the scrapes it
// completed, memory from /proc/<pid>/status, /federate response time with curl.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycleStats, followCycles } from './cycle-stats.mjs';
import { cpuSecondsOf, curlMedianMs, freePort, peakRssBytesOf, rssBytesOf, sleep } from './proc.mjs';

export { cpuSecondsOf };

export function findPrometheus() {
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Every series Prometheus holds, as a federating Prometheus would ask for them. */
const FEDERATE_ALL = `/federate?match[]=${encodeURIComponent('{__name__=~".+"}')}`;

/**
 * Starts Prometheus scraping `targetUrl` every `intervalS` with `rules` as metric_relabel_configs, waits for
 * `warmup` scrapes, then measures CPU over the next `scrapes` scrapes; then times /federate (gzip) `federateRuns`
 * times. Returns per-scrape CPU, resident memory after the scrapes, peak RSS and the median /federate time.
 */
export async function measurePrometheus(
  binary,
  targetUrl,
  rules,
  { intervalS = 5, warmup = 2, scrapes = 4, federateRuns = 0 } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prom-'));
  const port = await freePort();
  const target = new URL(targetUrl);
  const config = {
    global: { scrape_interval: `${intervalS}s`, scrape_timeout: `${intervalS - 1}s` },
    scrape_configs: [
      {
        job_name: 'bench',
        metrics_path: target.pathname,
        static_configs: [{ targets: [target.host] }],
        metric_relabel_configs: rules,
      },
    ],
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: 'ignore' },
  );
  const api = `http://127.0.0.1:${port}`;
  const scrapesDone = async () => {
    try {
      const text = await (await fetch(`${api}/metrics`)).text();
      const m = /^prometheus_target_interval_length_seconds_count\{interval="[^"]+"\} (\d+)/m.exec(text);
      const sync = /^prometheus_target_sync_length_seconds_count/m.test(text);
      return m && sync ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  };
  const waitFor = async (n) => {
    const deadline = Date.now() + (n + 4) * intervalS * 1000 + 30_000;
    while (Date.now() < deadline) {
      const done = await scrapesDone();
      if (done >= n) return done;
      await sleep(200);
    }
    throw new Error(`prometheus did not complete ${n} scrapes`);
  };
  try {
    // interval_length counts gaps between scrapes: after k scrapes it is k-1.
    const first = await waitFor(warmup);
    const cpuStart = cpuSecondsOf(child.pid);
    const last = await waitFor(first + scrapes);
    const cpu = cpuSecondsOf(child.pid) - cpuStart;
    const steadyRss = rssBytesOf(child.pid);
    const federate =
      federateRuns > 0 ? curlMedianMs(`${api}${FEDERATE_ALL}`, { gzip: true, n: federateRuns }) : undefined;
    return {
      cpuPerScrape: cpu / (last - first),
      steadyRss,
      peakRss: peakRssBytesOf(child.pid),
      federateMs: federate?.ms,
      federateBytes: federate?.bytes,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Prometheus against the moving upstream (upstream.mjs, reset to refresh 0), measured as bridge-peer.mjs
 * measures the bridge: CPU between its scrape requests n and n + 1 for n = 1…`cycles` (so it sees the same
 * bodies in the same order: cold, repeated, repeated, changed, …), VmRSS after them and VmHWM (the peak of
 * scraping), then /federate (gzip) `federateRuns` times. With `remoteWriteUrl` it runs in agent mode
 * (`--enable-feature=agent`: no
 * local TSDB, every scrape pushed with remote_write), and CPU per cycle is scrape plus push.
 */
export async function measurePrometheusCycles(
  binary,
  upstream,
  rules,
  { intervalS = 5, cycles = 9, federateRuns = 0, remoteWriteUrl } = {},
) {
  await upstream.reset();
  const dir = mkdtempSync(join(tmpdir(), 'bench-prom-'));
  const port = await freePort();
  const target = new URL(upstream.url);
  const config = {
    global: { scrape_interval: `${intervalS}s`, scrape_timeout: `${intervalS - 1}s` },
    scrape_configs: [
      {
        job_name: 'bench',
        metrics_path: target.pathname,
        static_configs: [{ targets: [target.host] }],
        metric_relabel_configs: rules,
      },
    ],
    ...(remoteWriteUrl ? { remote_write: [{ url: remoteWriteUrl }] } : {}),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const storage = remoteWriteUrl
    ? ['--enable-feature=agent', `--storage.agent.path=${join(dir, 'agent')}`]
    : [`--storage.tsdb.path=${join(dir, 'data')}`];
  let stderr = '';
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      ...storage,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const alive = (p) =>
    Promise.race([
      p,
      exited.then((code) => Promise.reject(new Error(`prometheus exited (${code}): ${stderr.slice(0, 500)}`))),
    ]);
  try {
    const { perCycle, steadyRss } = await followCycles(upstream, child.pid, cycles, alive);
    // The peak of scraping is read before /federate, which assembles its whole answer in memory.
    const peakRss = peakRssBytesOf(child.pid);
    const federate =
      federateRuns > 0 && !remoteWriteUrl
        ? curlMedianMs(`http://127.0.0.1:${port}${FEDERATE_ALL}`, { gzip: true, n: federateRuns })
        : undefined;
    return {
      ...cycleStats(perCycle),
      perCycle,
      steadyRss,
      peakRss,
      peakRssAfterFederate: federate ? peakRssBytesOf(child.pid) : undefined,
      federateMs: federate?.ms,
      federateBytes: federate?.bytes,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
