/**
 * The moving parts of the conformance suite: one fake upstream serving every payload, one bridge process with
 * a target per payload, one real Prometheus with a job per path (the bridge; each payload directly; each
 * reference body), and the waits that line them up — all polls with deadlines, no sleeps.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { PROBE_KEY_ID, type FakeUpstream } from './fake-upstream.js';
import type { Probe } from './probes.js';
import { bodyOf, needsReference, referenceBodyOf, type Payload } from './payload.js';
import { targets } from './stored-samples.js';

export const BRIDGE_JOB = 'bridge';
export const directJob = (id: string): string => `direct-${id}`;
export const refJob = (id: string): string => `ref-${id}`;
export const probeJob = (id: string): string => `probe-${id}`;

/** The job whose stored samples the bridge's must equal. */
export function referenceJob(payload: Payload): string {
  return needsReference(payload) ? refJob(payload.id) : directJob(payload.id);
}

/** Prometheus's config (JSON is YAML): 1 s scrapes, labels honoured as the bridge's users are told to. */
export function prometheusConfig(
  upstream: FakeUpstream,
  payloads: readonly Payload[],
  probes: readonly Probe[],
  bridgeHost: string,
): string {
  const job = (name: string, path: string, id: string) => ({
    job_name: name,
    honor_labels: true,
    metrics_path: path,
    authorization: { type: 'Api-Key', credentials: upstream.keys.get(id) },
    static_configs: [{ targets: [upstream.host], labels: { payload: id } }],
  });
  const jobs = payloads.flatMap((p) => [
    job(directJob(p.id), `/direct/${p.id}`, p.id),
    ...(needsReference(p) ? [job(refJob(p.id), `/ref/${p.id}`, p.id)] : []),
  ]);
  return JSON.stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: [
      { job_name: BRIDGE_JOB, honor_labels: true, static_configs: [{ targets: [bridgeHost] }] },
      ...jobs,
      ...probes.map((q) => job(probeJob(q.id), `/probe/${q.id}`, PROBE_KEY_ID)),
    ],
  });
}

/** The bridge's config: a target per payload, each with its own key (its own rate budget). */
export function bridgeConfig(upstream: FakeUpstream, payloads: readonly Payload[]): string {
  return JSON.stringify({
    targets: payloads.map((p) => ({
      name: p.id,
      url: `${upstream.base}/bridge/${p.id}`,
      api_key_file: `keys/${p.id}.key`,
      labels: { payload: p.id },
      interval: '10s',
      timeout: '5s',
      max_requests_per_minute: 6,
      // The corpus puts a few invalid lines in some payloads; the default 1 % would fail those cycles.
      max_invalid_line_ratio: 0.3,
    })),
  });
}

/** The corpus on disk, for reading a failure: every round as sent and as referenced. */
export function dumpCorpus(payloads: readonly Payload[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-conformance-corpus-'));
  for (const p of payloads) {
    p.rounds.forEach((r, i) => {
      writeFileSync(join(dir, `${p.id}.round${i + 1}.prom`), bodyOf(r));
      if (needsReference(p)) writeFileSync(join(dir, `${p.id}.round${i + 1}.ref.prom`), referenceBodyOf(r));
    });
  }
  return dir;
}

export interface Harness {
  prometheus: RunningPrometheus;
  bridge: BridgeProcess;
  bridgeUrl: string;
  stop(): Promise<void>;
}

export async function startHarness(
  prometheusBin: string,
  upstream: FakeUpstream,
  payloads: readonly Payload[],
  probes: readonly Probe[],
): Promise<Harness> {
  const port = await freePort();
  const bridgeHost = `127.0.0.1:${port}`;
  // Prometheus first: the bridge's first cycle starts the 10 s clock to its second.
  const prometheus = await startPrometheus(prometheusBin, prometheusConfig(upstream, payloads, probes, bridgeHost));
  const dir = mkdtempSync(join(tmpdir(), 'bridge-conformance-'));
  mkdirSync(join(dir, 'keys'));
  for (const p of payloads) writeFileSync(join(dir, 'keys', `${p.id}.key`), `${upstream.keys.get(p.id)}\n`);
  writeFileSync(join(dir, 'bridge.yml'), bridgeConfig(upstream, payloads));
  const bridge = spawnBridge(
    ['--config.file=bridge.yml', `--web.listen-address=${bridgeHost}`, '--storage.path=state', '--log.level=warn'],
    childEnv({}, dir),
  );
  return {
    prometheus,
    bridge,
    bridgeUrl: `http://${bridgeHost}`,
    async stop() {
      await bridge.stop();
      await prometheus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Cycles each target finished (fetched, built and swapped, or failed), from the bridge's own metrics. */
export async function finishedCycles(bridgeUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${bridgeUrl}/metrics`)).text();
  const done = new Map<string, number>();
  for (const m of text.matchAll(/^baseten_bridge_fetch_duration_seconds_count\{target="([^"]+)"\} (\d+)$/gm))
    done.set(m[1]!, Number(m[2]));
  return done;
}

/** Waits until every target finished a cycle on a body of `round`. */
/**
 * Waits until every bridge target finished `cycles` cycles on `round`. Two, to compare staleness: a series the
 * upstream dropped is served once more without a timestamp (src/snapshot/departed.ts), so Prometheus marks it
 * stale after the bridge's next cycle, not its first.
 */
export async function waitBridgeServed(
  bridgeUrl: string,
  upstream: FakeUpstream,
  payloads: readonly Payload[],
  round: number,
  timeoutMs: number,
  cycles = 1,
): Promise<void> {
  await pollUntil(
    `every bridge target to finish ${cycles} cycle(s) on round ${round + 1}`,
    async () => {
      const done = await finishedCycles(bridgeUrl);
      for (const p of payloads) {
        const requests = upstream.served.filter((s) => s.path === 'bridge' && s.id === p.id);
        const inRound = requests.flatMap((s, i) => (s.round === round ? [i] : []));
        if (inRound.length < cycles || (done.get(p.id) ?? 0) < inRound[cycles - 1]! + 1) return undefined;
      }
      return true;
    },
    timeoutMs,
    200,
  );
}

/**
 * Waits until every job has completed a scrape that started after now: a scrape started after a later
 * scrape began is surely committed (a target's scrapes run one after another).
 */
export async function waitScrapedAfterNow(promUrl: string, jobs: readonly string[], timeoutMs: number): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    const after = Date.now();
    await pollUntil(
      `every Prometheus job to scrape again (pass ${pass + 1})`,
      async () => {
        const state = await targets(promUrl);
        return jobs.every((j) => (state.get(j)?.lastScrapeMs ?? 0) > after) ? true : undefined;
      },
      timeoutMs,
      200,
    );
  }
}
