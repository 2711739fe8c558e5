// A real Prometheus 2.42 (Debian) scraping a payload, for comparison in the same run. CPU comes from the
// process's own accounting (/proc/<pid>/stat utime+stime), divided by the scrapes it completed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export function findPrometheus() {
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

export function rssBytesOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Prometheus scraping `targetUrl` every `intervalS` with `rules` as metric_relabel_configs, waits for
 * `warmup` scrapes, then measures CPU over the next `scrapes` scrapes. Returns per-scrape CPU and peak RSS.
 */
export async function measurePrometheus(binary, targetUrl, rules, { intervalS = 5, warmup = 2, scrapes = 4 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prom-'));
  const port = await freePort();
  const target = new URL(targetUrl);
  const config = {
    global: { scrape_interval: `${intervalS}s`, scrape_timeout: `${intervalS - 1}s` },
    scrape_configs: [{ job_name: 'bench', metrics_path: target.pathname, static_configs: [{ targets: [target.host] }], metric_relabel_configs: rules }],
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'], { stdio: 'ignore' });
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
    const federateStart = performance.now();
    const federate = await fetch(`${api}/federate?match[]=${encodeURIComponent('{job="bench"}')}`, { headers: { 'Accept-Encoding': 'gzip' } });
    const federateBytes = (await federate.arrayBuffer()).byteLength;
    const federateMs = performance.now() - federateStart;
    return { cpuPerScrape: cpu / (last - first), peakRss: rssBytesOf(child.pid), federateMs, federateBytes };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
