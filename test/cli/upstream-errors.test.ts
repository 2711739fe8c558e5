/**
 * Issue 15, "errors that say what failed": https to a plain-http port names TLS and the fix, and a failure
 * before the first good fetch says there is no data yet (not that the last good data is being served); a
 * command that serves nothing (`once`, `check-config --probe`) says only that the fetch failed (issue 24).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge, spawnBridge } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';

describe('upstream errors in words', () => {
  const key = generateApiKey();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-upstream-errors-'));
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
  });

  afterAll(async () => {
    await simulator?.close();
  });

  const httpsToHttp = () => {
    const config = join(dir, 'https-to-http.yml');
    writeFileSync(config, `upstream:\n  url: ${simulator.url.replace('http://', 'https://')}\n  interval: 15s\n`);
    return config;
  };
  const TLS_ERR =
    String.raw`reason=network err="TLS: cannot connect securely to 127\.0\.0\.1:\d+ ` +
    String.raw`\((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\): `;

  it(
    'once, https:// to a plain-http port: TLS, the code and the fix, and ' + 'nothing of what /metrics serves',
    async () => {
      const { code, stdout, stderr } = await runBridge(
        ['once', `--config.file=${httpsToHttp()}`, '--storage.path='],
        childEnv({ BASETEN_API_KEY: key }, dir),
      );
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`level=warn msg="fetch failed" ${TLS_ERR}`));
      expect(stderr).not.toContain('/metrics');
      expect(leakFinder(key)({ stdout, stderr })).toEqual([]);
    },
  );

  it('the running bridge, before its first good fetch: no data yet, not the last good data', async () => {
    const bridge = spawnBridge(
      [`--config.file=${httpsToHttp()}`, `--web.listen-address=127.0.0.1:${await freePort()}`, '--storage.path='],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    try {
      await pollUntil('the failed fetch to be logged', () =>
        bridge.stderr().includes('fetch failed') ? true : undefined,
      );
      expect(bridge.stderr()).toMatch(
        new RegExp(
          `level=warn msg="fetch failed; no data yet, /metrics serves only the bridge's own metrics" ${TLS_ERR}`,
        ),
      );
      expect(bridge.stderr()).not.toContain('serving the last good data');
    } finally {
      await bridge.stop();
    }
    expect(leakFinder(key)({ stderr: bridge.stderr() })).toEqual([]);
  });
});
