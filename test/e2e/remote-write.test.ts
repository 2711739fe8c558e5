/**
 * The whole path of remote_write with real parts: two simulated workspaces → the built bridge (two targets,
 * remote_write to both receivers) → a real Prometheus 2.42 (--web.enable-remote-write-receiver) and a real
 * VictoriaMetrics. What each receiver stored at each target's fetch time must equal what the bridge's
 * /metrics serves: the same label sets and the same values (as far as the receiver's storage keeps them).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';
import { requireBinary } from '../helpers/require-binary.js';
import { expectedSamples, seriesKey } from '../remotewrite/expected.js';
import { startPrometheusReceiver, startVictoriaMetrics, type Receiver } from '../remotewrite/receivers.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const victoriaBin = requireBinary('victoria-metrics', 'victoria-metrics');
const TARGETS = ['prod', 'staging'];

const bothReceivers = 'bridge → remote_write → real Prometheus and VictoriaMetrics';
describe.skipIf(!prometheusBin || !victoriaBin)(bothReceivers, () => {
  const keys = TARGETS.map(() => generateApiKey());
  const simulators: RunningSimulator[] = [];
  const receivers: Receiver[] = [];
  let bridge: BridgeProcess;
  let base: string;
  /** The Baseten series the bridge serves, and when each target fetched them. */
  let served: Map<string, number>;
  const fetchedAt = new Map<string, number>();

  beforeAll(async () => {
    receivers.push(await startPrometheusReceiver(prometheusBin!), await startVictoriaMetrics(victoriaBin!));
    const dir = mkdtempSync(join(tmpdir(), 'bridge-rw-e2e-'));
    const lines = ['targets:'];
    for (const [i, name] of TARGETS.entries()) {
      const simulator = await startSimulator({ apiKey: keys[i]!, deployments: 2, seed: i + 1 });
      simulators.push(simulator);
      writeFileSync(join(dir, `${name}.key`), keys[i]!);
      lines.push(
        `  - { name: ${name}, url: "${simulator.url}", api_key_file: ${name}.key, labels: { workspace: ${name} } }`,
      );
    }
    lines.push('remote_write:');
    for (const r of receivers)
      lines.push(`  - { name: ${r.kind}, url: "${r.writeUrl}", queue_config: { batch_send_deadline: 1s } }`);
    writeFileSync(join(dir, 'bridge.yml'), `${lines.join('\n')}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=state'],
      childEnv({}, dir),
    );
    const body = await pollUntil(
      'both targets served and pushed',
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        const sent =
          TARGETS.every((t) => text.includes(`workspace="${t}"`)) &&
          /baseten_bridge_remote_write_samples_pending\{remote="victoria-metrics"\} 0/.test(text);
        return sent && /baseten_bridge_remote_write_samples_pending\{remote="prometheus"\} 0/.test(text)
          ? text
          : undefined;
      },
      30_000,
    );
    for (const t of TARGETS) {
      const seconds = Number(
        new RegExp(`^baseten_bridge_last_success_timestamp_seconds\\{target="${t}"\\} (\\S+)$`, 'm').exec(body)![1],
      );
      fetchedAt.set(t, Math.round(seconds * 1000));
    }
    // The Baseten part of /metrics (every family the bridge relays); its own metrics (baseten_bridge_*, and the
    // process's process_* and nodejs_*) are not pushed.
    const relayed = body
      .split('\n')
      .filter((l) => !/^(# (HELP|TYPE) )?(baseten_bridge_|process_|nodejs_)/.test(l))
      .join('\n');
    served = expectedSamples(relayed);
    expect(served.size).toBeGreaterThan(500);
  }, 60_000);

  afterAll(async () => {
    await bridge?.stop();
    for (const s of simulators) await s.close();
    for (const r of receivers) await r.stop();
  });

  it.each([0, 1])(
    "receiver %i holds exactly the series /metrics serves, at each target's fetch time",
    async (index) => {
      const receiver = receivers[index]!;
      const times = [...fetchedAt.values()];
      const stored = await pollUntil(`${receiver.kind} to hold every pushed series`, async () => {
        const samples = await receiver.samples(Math.min(...times), Math.max(...times));
        const atFetch = new Map<string, number>();
        for (const s of samples)
          if (fetchedAt.get(s.labels.workspace ?? '') === s.timestampMs) atFetch.set(seriesKey(s.labels), s.value);
        return atFetch.size >= receiver.keeps(served).size ? atFetch : undefined;
      });
      const expected = receiver.keeps(served);
      expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
      const differ = [...expected].filter(([key, value]) => !receiver.sameValue(stored.get(key)!, value));
      expect(differ, receiver.kind).toEqual([]);
    },
  );

  it('counts what it sent, and drops nothing', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const r of receivers) {
      const sent = Number(
        new RegExp(`^baseten_bridge_remote_write_samples_sent_total\\{remote="${r.kind}"\\} (\\S+)$`, 'm').exec(
          text,
        )?.[1],
      );
      expect(sent, r.kind).toBe(served.size);
      expect(text, r.kind).not.toMatch(
        new RegExp(
          `^baseten_bridge_remote_write_samples_dropped_total\\{remote="${r.kind}",reason="[a-z_]+"\\} [1-9]`,
          'm',
        ),
      );
    }
  });

  it('never prints a key', () => {
    for (const key of keys) expect(leakFinder(key)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
  });
});
