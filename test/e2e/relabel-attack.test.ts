/**
 * The relabel debugger under attack, against the real process: requests built to be slow
 * (`(a?){1000}a{1000}` over a 1,000-character value, ~100 ms per rule) are bounded in size, time and
 * number, run off the event loop, and stop when their client goes; meanwhile /-/healthy keeps answering,
 * measured from outside by polling: its p99 during the attack may exceed its p99 just before by at most
 * 50 ms. (Relative, because the machine is shared: on two loaded cores an idle Node process already sees
 * tens of ms of scheduling delay. A blocked loop, as before the debugger ran in a worker, is 60 s.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, untilReady, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

let upstream: TestServer;
let bridge: BridgeProcess;
let base: string;

beforeAll(async () => {
  // A quiet upstream: the only work in the bridge is what the test sends.
  upstream = await startTestServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end('# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_name="m"} 1\n');
  });
  const dir = mkdtempSync(join(tmpdir(), 'bridge-attack-'));
  writeFileSync(join(dir, 'bridge.yml'), `upstream:\n  url: ${upstream.url}\n  interval: 60s\n  timeout: 5s\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  bridge = spawnBridge(
    ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path='],
    childEnv({ BASETEN_API_KEY: generateApiKey() }, dir),
  );
  await untilReady(base);
});

afterAll(async () => {
  await bridge?.stop();
  await upstream?.close();
});

const slowRules = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ source_labels: ['v'], regex: '(a?){1000}a{1000}', target_label: `t${i}` }));
const slowSeries = (n: number) =>
  Array.from({ length: n }, (_, i) => `baseten_replicas_active{i="${i}",v="${'a'.repeat(1000)}"}`).join('\n');
const slowBody = (rules: number) => JSON.stringify({ series: slowSeries(1), rules: slowRules(rules) });
// Slow in time, light in memory (each compiled rule holds about 0.7 MiB): 10 rules over 100 series is 1,000
// matches of ~100 ms, so it meets the 2 s budget long before the 128 MiB heap limit on any machine.
const boundedBody = () => JSON.stringify({ series: slowSeries(100), rules: slowRules(10) });

function relabel(body: string, signal?: AbortSignal): Promise<{ status: number; error: string }> {
  return fetch(`${base}/api/v1/relabel`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    ...(signal ? { signal } : {}),
  }).then(async (res) => ({
    status: res.status,
    error: ((await res.json()) as { error?: string }).error ?? '',
  }));
}

/** Polls /-/healthy until `done` settles; returns each answer's latency in ms. */
async function healthyLatencies(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const start = performance.now();
    const res = await fetch(`${base}/-/healthy`, { signal: AbortSignal.timeout(5_000) });
    await res.text();
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 5));
  }
  return latencies;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;

/** CPU seconds (user + system) the bridge process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('the relabel debugger under attack', () => {
  it(
    'the 40 KB request and ten like it in parallel: refused or stopped ' +
      'within the budget, /-/healthy p99 within 50 ms of before',
    async () => {
      const exact = slowBody(500);
      expect(exact.length).toBeGreaterThan(35_000);
      const timed = async (body: string) => {
        const start = performance.now();
        return { ...(await relabel(body)), ms: performance.now() - start };
      };
      const attack = (async () => {
        // All at once: one is admitted (the exact one is refused for its size, a bounded one runs out of
        // time), the rest are told to come back.
        const parallel = await Promise.all([timed(exact), ...Array.from({ length: 10 }, () => timed(boundedBody()))]);
        // Then each kind alone, so both refusals are seen whatever order the parallel ones arrived in.
        return { parallel, exact: await timed(exact), bounded: await timed(boundedBody()) };
      })();
      const baseline = await healthyLatencies(new Promise((r) => setTimeout(r, 1_500)));
      const latencies = await healthyLatencies(attack);
      const { parallel, exact: alone, bounded } = await attack;
      process.stdout.write(
        `relabel attack: ${parallel.map((a) => a.status).join(' ')} in ` +
          `${Math.round(Math.max(...parallel.map((a) => a.ms)))} ms, then ` +
          `${alone.status} in ${Math.round(alone.ms)} ms and ${bounded.status} ` +
          `in ${Math.round(bounded.ms)} ms; /-/healthy ${latencies.length} polls,` +
          ` p99 ${p99(latencies).toFixed(1)} ms, max ` +
          `${Math.max(...latencies).toFixed(1)} ms (before: p99 ` +
          `${p99(baseline).toFixed(1)} ms, max ` +
          `${Math.max(...baseline).toFixed(1)} ms)\n`,
      );
      for (const answer of parallel) {
        expect([400, 429, 503]).toContain(answer.status);
        expect(answer.ms).toBeLessThan(4_000);
      }
      expect(parallel.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(9);
      expect(parallel.find((a) => a.status === 429)!.error).toBe(
        'relabel: 1 traces are already running; try again in a moment',
      );
      expect(alone).toMatchObject({
        status: 400,
        error: 'rules: 500 rules given, at most 200 per request (trace fewer at once)',
      });
      expect(bounded).toMatchObject({
        status: 503,
        error:
          'relabel: the trace took more than its 2 s budget and was stopped ' +
          '(trace fewer series or rules, or simpler regexes)',
      });
      expect(bounded.ms).toBeGreaterThan(1_900);
      expect(bounded.ms).toBeLessThan(4_000);
      expect(latencies.length).toBeGreaterThan(50);
      expect(p99(latencies)).toBeLessThan(p99(baseline) + 50);
      // The thread was stopped, not left running: a normal trace is answered at once.
      const ok = await relabel(JSON.stringify({ series: 'up{a="1"}', rules: [{ action: 'labeldrop', regex: 'a' }] }));
      expect(ok.status).toBe(200);
    },
  );

  it('stops the work when the client goes away', async () => {
    const pid = bridge.child.pid!;
    const client = new AbortController();
    const gone = relabel(boundedBody(), client.signal).catch(() => undefined);
    // Give the worker time to start burning CPU, then leave.
    await pollUntil('the trace to be running', () => (cpuSeconds(pid) > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    client.abort();
    await gone;
    // Give the abort a moment to reach the thread; then a whole second must cost the process little CPU.
    await new Promise((r) => setTimeout(r, 300));
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(cpuSeconds(pid) - before).toBeLessThan(0.5);
  });
});
