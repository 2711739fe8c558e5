/**
 * Issue 15, "one verdict everywhere": a rule with an invalid target label. check-config warns, relabel-test
 * says not served (test/cli/relabel-test.test.ts), and the running bridge — a real process against the
 * simulator — says a good fetch served nothing: a warning in the log, a self-metric and a line on the status page.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';

const WARNING =
  'metric_relabel_configs[0].target_label: label name "bad-name" cannot ' +
  'be served in text format 0.0.4, so every series it applies to is ' +
  'dropped (reason="invalid_name"); use letters, digits and _ (e.g. "bad_name")';

describe('a rule that can never be served', () => {
  const key = generateApiKey();
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let dir: string;
  let configFile: string;
  let base: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    dir = mkdtempSync(join(tmpdir(), 'bridge-one-verdict-'));
    writeFileSync(join(dir, 'key'), `${key}\n`);
    chmodSync(join(dir, 'key'), 0o644);
    configFile = join(dir, 'bridge.yml');
    writeFileSync(
      configFile,
      `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  api_key_file: ` +
        `key\nmetric_relabel_configs:\n  - target_label: "bad-name"\n    replacement: x\n`,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.path='],
      childEnv({}, dir),
    );
  });

  afterAll(async () => {
    await bridge?.stop();
    await simulator?.close();
  });

  it('check-config warns about the rule and the key file mode, as the server does, and still exits 0', async () => {
    const { code, stdout, stderr } = await runBridge(
      ['check-config', `--config.file=${configFile}`],
      childEnv({}, dir),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`  warning: ${WARNING}\n`);
    expect(stdout).toContain(
      `  warning: key file ${join(dir, 'key')} is readable by others (mode 0644); restrict it (chmod 0400)\n`,
    );
  });

  it('the running bridge warns at start, and after a good fetch that serves nothing', async () => {
    await pollUntil('the empty-fetch warning', () =>
      bridge.stderr().includes('a good fetch served no series') ? true : undefined,
    );
    const log = bridge.stderr();
    expect(log).toContain(`a relabel rule can never be served: ${WARNING.replaceAll('"', '\\"')}`);
    expect(log).toMatch(
      new RegExp(
        String.raw`level=warn msg="a good fetch served no series: all \d+ ` +
          String.raw`series were dropped \(\d+ invalid_name\); a relabel rule ` +
          String.raw`writes a label name`,
      ),
    );
    expect(log).toContain('is readable by others (mode 0644)');
  });

  it('counts it in baseten_bridge_empty_fetches_total and says so on the status page', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^baseten_bridge_empty_fetches_total\{target="default"\} [1-9]/m);
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('<strong>Serves no series:</strong> all ');
    expect(leakFinder(key)({ log: bridge.stderr(), metrics, page })).toEqual([]);
  });
});
