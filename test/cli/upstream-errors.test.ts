/**
 * Issue 15, "errors that say what failed": https to a plain-http port names TLS and the fix, and a failure
 * before the first good fetch says there is no data yet (not that the last good data is being served).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge } from '../helpers/bridge-process.js';
import { leakFinder } from '../helpers/leaks.js';

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

  it('https:// to a plain-http port: TLS, the code and the fix; no data yet', async () => {
    const config = join(dir, 'https-to-http.yml');
    writeFileSync(config, `upstream:\n  url: ${simulator.url.replace('http://', 'https://')}\n  interval: 15s\n`);
    const { code, stdout, stderr } = await runBridge(['once', `--config.file=${config}`, '--storage.path='], childEnv({ BASETEN_API_KEY: key }, dir));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/level=warn msg="fetch failed; no data yet, \/metrics serves only the bridge's own metrics" reason=network err="TLS: cannot connect securely to 127\.0\.0\.1:\d+ \((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\): /);
    expect(stderr).not.toContain('serving the last good data');
    expect(leakFinder(key)({ stdout, stderr })).toEqual([]);
  });
});
