// Measuring another process the same way for every peer: CPU from its own accounting (/proc/<pid>/stat
// utime+stime), memory from /proc/<pid>/status (VmRSS now, VmHWM the peak), HTTP timings from curl and
// load from wrk — both separate processes, so nothing in the benchmark's own event loop is on the path.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function statusField(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]) * 1024;
}

/** Resident memory now. */
export const rssBytesOf = (pid) => statusField(pid, 'VmRSS');
/** The process's resident-memory high-water mark since it started. */
export const peakRssBytesOf = (pid) => statusField(pid, 'VmHWM');

export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.floor((s.length - 1) / 2)];
}

/** Median of `n` response times in ms (curl's time_total: connect to last byte; the body is not decompressed). */
export function curlMedianMs(url, { gzip, n }) {
  const args = [
    '-sS',
    '-g',
    '-o',
    '/dev/null',
    '-w',
    '%{time_total} %{http_code} %{size_download}',
    ...(gzip ? ['-H', 'Accept-Encoding: gzip'] : []),
    url,
  ];
  const times = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const [t, code, size] = execFileSync('curl', args, { encoding: 'utf8' }).trim().split(' ');
    if (code !== '200') throw new Error(`curl ${url}: HTTP ${code}`);
    times.push(Number(t) * 1000);
    bytes = Number(size);
  }
  return { ms: median(times), bytes };
}

export function haveCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Requests per second that wrk sustains against `url` with gzip asked, or undefined without wrk. */
export function wrkRate(url, seconds) {
  if (!haveCommand('wrk')) {
    console.error('!!! wrk is not installed (apt-get install wrk): scrapes/s is SKIPPED');
    return undefined;
  }
  const out = execFileSync('wrk', ['-t2', '-c8', `-d${seconds}s`, '-H', 'Accept-Encoding: gzip', url], {
    encoding: 'utf8',
  });
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  if (errors) throw new Error(`wrk: ${errors} responses were not 2xx`);
  return rate;
}
