// VictoriaMetrics 1.79 (Debian) in two roles: `victoria-metrics` (the single binary) as the remote-write
// receiver every pushing peer writes to, and `vmagent` as a peer of the bridge — scraping the moving
// upstream with the same rules and pushing each scrape to that receiver. vmagent is measured as every peer
// is (cycle-stats.mjs followCycles: CPU between its scrape requests, VmRSS, VmHWM).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycleStats, followCycles } from './cycle-stats.mjs';
import { cpuSecondsOf, freePort, haveCommand, peakRssBytesOf, sleep } from './proc.mjs';

export const haveVictoriaMetrics = () => haveCommand('victoria-metrics') && haveCommand('vmagent');

export function victoriaVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'victoria-metrics'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function spawnWatched(binary, args, dir) {
  let stderr = '';
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const alive = (p) =>
    Promise.race([
      p,
      exited.then((code) => Promise.reject(new Error(`${binary} exited (${code}): ${stderr.slice(-500)}`))),
    ]);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, alive, stop };
}

async function waitHttp(url, alive) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await alive(fetch(url))).ok) return;
    } catch (err) {
      if (String(err.message).includes('exited')) throw err;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer`);
}

/** The receiver: victoria-metrics on a loopback port; `rowsInserted()` reads how many samples it has taken. */
export async function startReceiver() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
  const port = await freePort();
  const vm = spawnWatched(
    'victoria-metrics',
    [
      `-storageDataPath=${join(dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=1',
      '-loggerLevel=ERROR',
    ],
    dir,
  );
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`${base}/health`, vm.alive);
  return {
    writeUrl: `${base}/api/v1/write`,
    pid: vm.child.pid,
    cpu: () => cpuSecondsOf(vm.child.pid),
    rowsInserted: async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return Number(/^vm_rows_inserted_total\{type="promremotewrite"\} (\S+)$/m.exec(text)?.[1] ?? 0);
    },
    close: vm.stop,
  };
}

/**
 * vmagent scraping `upstream` (reset to refresh 0) every `intervalS` with `rules` as metric_relabel_configs
 * and pushing to `remoteWriteUrl`; -promscrape.maxScrapeSize raised above the 47 MB body (its default is
 * 16 MiB), everything else at its defaults (so bodies over 1 MB are stream-parsed, as vmagent does by default).
 */
export async function measureVmagent(upstream, rules, { intervalS = 6, cycles = 9, remoteWriteUrl }) {
  await upstream.reset();
  const dir = mkdtempSync(join(tmpdir(), 'bench-vmagent-'));
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
  };
  writeFileSync(join(dir, 'scrape.yml'), JSON.stringify(config));
  const agent = spawnWatched(
    'vmagent',
    [
      `-promscrape.config=${join(dir, 'scrape.yml')}`,
      '-promscrape.maxScrapeSize=256MiB',
      `-remoteWrite.url=${remoteWriteUrl}`,
      `-remoteWrite.tmpDataPath=${join(dir, 'rw')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-loggerLevel=ERROR',
    ],
    dir,
  );
  try {
    const { perCycle, steadyRss } = await followCycles(upstream, agent.child.pid, cycles, agent.alive);
    return { ...cycleStats(perCycle), perCycle, steadyRss, peakRss: peakRssBytesOf(agent.child.pid) };
  } finally {
    await agent.stop();
  }
}
