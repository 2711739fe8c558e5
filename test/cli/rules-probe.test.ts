/**
 * Issue 15, "SLOs that can fire": `rules --slo` warns when a latency threshold is not a bucket boundary (a
 * matcher no series has never fires), naming the nearest boundaries seen with --probe; an objective written
 * as a ratio is refused. Real processes against the simulator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge } from '../helpers/bridge-process.js';
import { leakFinder } from '../helpers/leaks.js';

const slo = (objective: string, threshold: string) =>
  `slos:\n  - name: latency\n    objective: ${objective}\n    latency:\n ` +
  `     metric: end_to_end\n      threshold: ${threshold}\n`;

describe('baseten-bridge rules --slo', () => {
  const key = generateApiKey();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-rules-probe-'));
  let simulator: RunningSimulator;
  let config: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    config = join(dir, 'bridge.yml');
    writeFileSync(config, `upstream:\n  url: ${simulator.url}\n  interval: 15s\n`);
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('without buckets or --probe: warns that the threshold is unchecked, still prints the rules', async () => {
    const file = join(dir, 'unchecked.yml');
    writeFileSync(file, slo('99', '2.4s'));
    const { code, stdout, stderr } = await runBridge(['rules', `--slo=${file}`], childEnv({}, dir));
    expect(code).toBe(0);
    expect(stdout).toContain('groups:');
    expect(stderr.trim()).toBe(
      `baseten-bridge: slo file ${file}: warning: slos[0].latency.threshold: ` +
        `2.4s is used as le="2.4" unchecked: Baseten does not document its ` +
        `bucket boundaries, and if it is not one no series matches and the SLO ` +
        `alerts never fire; list the le values under buckets:, or run rules ` +
        `with --probe to read them from Baseten`,
    );
  });

  it('--probe: names the nearest boundaries seen on Baseten and uses the one under the threshold', async () => {
    const file = join(dir, 'probe.yml');
    writeFileSync(file, slo('99', '2.4s'));
    const { code, stdout, stderr } = await runBridge(
      ['rules', `--slo=${file}`, '--probe', `--config.file=${config}`, '--storage.path=', '--log.level=error'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(0);
    expect(stderr.trim()).toBe(
      `baseten-bridge: slo file ${file}: warning: slos[0].latency.threshold: ` +
        `2.4s is not a bucket boundary of ` +
        `baseten_end_to_end_response_time_seconds (nearest: 1s and 2.5s); ` +
        `le="1" is used, so requests between 1s and 2.4s count as slow; set ` +
        `the threshold to a boundary to measure exactly it`,
    );
    expect(stdout).toContain('le=~"1(\\\\.0+)?"');
    expect(simulator.requests.at(-1)).toMatchObject({ status: 200, authorized: true });
    expect(leakFinder(key)({ stdout, stderr })).toEqual([]);
  });

  it('--probe with a threshold that is a boundary: no warning', async () => {
    const file = join(dir, 'boundary.yml');
    writeFileSync(file, slo('99', '2.5s'));
    const { code, stderr } = await runBridge(
      ['rules', `--slo=${file}`, '--probe', `--config.file=${config}`, '--storage.path=', '--log.level=error'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('objective: 0.99 says percent, not a ratio', async () => {
    const file = join(dir, 'ratio.yml');
    writeFileSync(file, slo('0.99', '2.5s'));
    const { code, stdout, stderr } = await runBridge(['rules', `--slo=${file}`], childEnv({}, dir));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      `baseten-bridge: slo file ${file}: slos[0].objective: 0.99 looks like ` +
        `a ratio; objective is in percent, not a ratio (write 99 for 99 %)`,
    );
  });
});
