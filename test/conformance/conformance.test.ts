/**
 * Issue 14: Prometheus is the judge. A seeded corpus of payloads (generator.ts) is served by a fake Baseten;
 * one real Prometheus 2.42 scrapes every payload directly and, through one bridge process with a target per
 * payload, the bridge's /metrics, over two rounds with new values and series. For each payload the samples
 * Prometheus stored through the bridge must equal those it stored directly (or, where Prometheus refuses a
 * line and so the whole scrape, those it stored from the reference body: the same lines without the refused
 * ones), except for the short allow-list of deliberate differences (allow-list.ts). The bridge's scrape must
 * stay healthy throughout: one bad upstream line must never make /metrics unreadable.
 *
 * Run: npm run build --silent && npx vitest run test/conformance
 * Another corpus: CONFORMANCE_SEED=7 npx vitest run test/conformance/conformance.test.ts
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll.js';
import { requireBinary } from '../helpers/require-binary.js';
import { compareStored, describeDiff, type Diff } from './compare.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { generateCorpus } from './generator.js';
import { refusedLineProbes } from './probes.js';
import {
  BRIDGE_JOB,
  directJob,
  probeJob,
  dumpCorpus,
  referenceJob,
  refJob,
  startHarness,
  waitBridgeServed,
  waitScrapedAfterNow,
  type Harness,
} from './harness.js';
import { needsReference, refusedLines, type Payload } from './payload.js';
import { currentSeries, storedSamples, targets } from './stored-samples.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const SEED = Number(process.env.CONFORMANCE_SEED ?? 14);
const PAYLOADS = 36;

describe.skipIf(!prometheusBin)(`conformance with Prometheus 2.42 (seed ${SEED})`, () => {
  const startMs = Date.now();
  const corpus: Payload[] = generateCorpus({ seed: SEED, payloads: PAYLOADS, timestampsBeforeMs: startMs });
  const probes = refusedLineProbes();
  const jobs = [
    BRIDGE_JOB,
    ...corpus.flatMap((p) => [directJob(p.id), ...(needsReference(p) ? [refJob(p.id)] : [])]),
    ...probes.map((q) => probeJob(q.id)),
  ];
  let corpusDir = '';
  let upstream: FakeUpstream;
  let harness: Harness;
  // The corpus and its differences stay on disk for reading when something failed.
  let failed = true;

  beforeAll(async () => {
    corpusDir = dumpCorpus(corpus);
    upstream = await startFakeUpstream(corpus, probes);
    harness = await startHarness(prometheusBin!, upstream, corpus, probes);
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
    await upstream?.close();
    if (!failed) rmSync(corpusDir, { recursive: true, force: true });
  });

  /**
   * The generator's model of Prometheus, checked against Prometheus: a direct scrape is healthy exactly when
   * no line of the round is refused, a reference scrape always. And the bridge's own scrape is healthy.
   */
  async function expectHealth(round: 0 | 1): Promise<void> {
    const state = await targets(harness.prometheus.url);
    const wrong: string[] = [];
    const bridge = state.get(BRIDGE_JOB);
    if (bridge?.health !== 'up') wrong.push(`the bridge's /metrics: ${bridge?.health} (${bridge?.lastError})`);
    for (const p of corpus) {
      const refused = refusedLines(p.rounds[round]);
      const direct = state.get(directJob(p.id));
      const expected = refused.length === 0 ? 'up' : 'down';
      if (direct?.health !== expected) {
        wrong.push(
          `${directJob(p.id)} round ${round + 1}: ${direct?.health}, the ` +
            `generator expected ${expected} ` +
            `(${direct?.lastError || refused.map((l) => JSON.stringify(l.text)).join(', ')})`,
        );
      }
      const ref = needsReference(p) ? state.get(refJob(p.id)) : undefined;
      if (ref && ref.health !== 'up')
        wrong.push(`${refJob(p.id)} round ${round + 1}: ${ref.health} (${ref.lastError})`);
    }
    if (round === 0) {
      for (const q of probes) {
        const probe = state.get(probeJob(q.id));
        if (probe?.health !== 'down')
          wrong.push(
            `${probeJob(q.id)}: ${probe?.health}, but the generator says Prometheus refuses ${JSON.stringify(q.line)}`,
          );
      }
    }
    expect(wrong, `corpus in ${corpusDir}`).toEqual([]);
  }

  it('round 1: every job scraped, the bridge healthy, the generator right about what Prometheus refuses', async () => {
    await waitBridgeServed(harness.bridgeUrl, upstream, corpus, 0, 30_000);
    await waitScrapedAfterNow(harness.prometheus.url, jobs, 20_000);
    await expectHealth(0);
  }, 60_000);

  it('round 2: new values and series; still healthy', async () => {
    upstream.round = 1;
    // Two cycles: series of round 1 that round 2 dropped are marked stale after the second (departed.ts).
    await waitBridgeServed(harness.bridgeUrl, upstream, corpus, 1, 60_000, 2);
    await waitScrapedAfterNow(harness.prometheus.url, jobs, 20_000);
    await expectHealth(1);
  }, 90_000);

  it('Prometheus stores through the bridge what it stores directly, sample for sample', async () => {
    const url = harness.prometheus.url;
    const windowSeconds = (Date.now() - startMs) / 1000 + 600;
    const diffs: Diff[] = [];
    for (const p of corpus) {
      const ref = `{job="${referenceJob(p)}"}`;
      const through = `{job="${BRIDGE_JOB}",payload="${p.id}"}`;
      const reference = {
        samples: await storedSamples(url, ref, windowSeconds, startMs),
        current: await currentSeries(url, ref),
      };
      const bridge = {
        samples: await storedSamples(url, through, windowSeconds, startMs),
        current: await currentSeries(url, through),
      };
      expect(reference.samples.size, `${p.id}: the reference job stored nothing`).toBeGreaterThan(0);
      diffs.push(...compareStored(p, reference, bridge));
    }
    const unexplained = diffs.filter((d) => d.allowedBy === undefined);
    writeFileSync(
      join(corpusDir, 'differences.txt'),
      diffs.map((d) => `${d.allowedBy ? `[allowed: ${d.allowedBy}] ` : ''}${describeDiff(d)}`).join('\n'),
    );
    const header = `${unexplained.length} unexplained differences (seed ${SEED}, corpus in ${corpusDir}):\n`;
    expect(unexplained.map(describeDiff), header + unexplained.map(describeDiff).join('\n')).toEqual([]);
    // Every deliberate difference the corpus sets up shows up: the allow-list describes what the bridge does.
    const tags = new Set(corpus.flatMap((p) => p.rounds.flatMap((r) => r.allow.map((a) => a.tag))));
    expect(new Set(diffs.map((d) => d.allowedBy))).toEqual(tags);
    failed = false;
  }, 60_000);

  it('never let the upstream see a request without the right key', async () => {
    await pollUntil('requests to have been served', () => (upstream.served.length > 0 ? true : undefined));
    expect(upstream.unauthorized).toBe(0);
  });
});
