/**
 * Memory bounded by configuration: the worst body the defaults let through — 64 MiB (body_size_limit) of the
 * shortest distinct series Prometheus accepts, about 9.6 million of them — is refused by the default
 * sample_limit while it is read, so the real bridge process stays within 1 GiB and keeps answering.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

const START = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:';
const REST = `${START}0123456789`;

/** `a 1\n`, `b 1\n`, … `a0 1\n`, …: every series a different name, as short as names get. */
function shortestSeries(bytes: number): { body: Buffer; series: number } {
  const body = Buffer.allocUnsafe(bytes);
  let o = 0;
  let series = 0;
  for (let i = 0; o < bytes - 16; i++, series++) {
    let x = i;
    let name = START[x % START.length]!;
    x = Math.floor(x / START.length);
    while (x > 0) {
      name += REST[x % REST.length];
      x = Math.floor(x / REST.length);
    }
    o += body.write(`${name} 1\n`, o, 'latin1');
  }
  return { body: body.subarray(0, o), series };
}

const peakRssMiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('the worst body under the defaults', () => {
  let upstream: TestServer | undefined;
  let bridge: BridgeProcess | undefined;
  afterAll(async () => {
    await bridge?.stop();
    await upstream?.close();
  });

  it('is refused early by the default sample_limit, within 1 GiB', async () => {
    const { body, series } = shortestSeries(64 * 1024 * 1024 - 64);
    expect(series).toBeGreaterThan(9_000_000);
    upstream = await startTestServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(body);
    });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-worst-'));
    // Nothing but the URL: every limit is the default.
    writeFileSync(join(dir, 'bridge.yml'), `upstream:\n  url: ${upstream.url}\n`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path='],
      childEnv({ BASETEN_API_KEY: generateApiKey() }, dir),
    );
    const failures = await pollUntil(
      'the body to be refused',
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return /baseten_bridge_fetch_failures_total\{target="default",reason="sample_limit"\} 1/.test(text)
          ? text
          : undefined;
      },
      90_000,
      250,
    );
    expect(failures).not.toMatch(/^a0 1$/m);
    expect(bridge.stderr()).toContain(
      'sample_limit exceeded (more than 500000 series after relabeling, ' +
        'limit 500000; the rest of the body was not read)',
    );
    const peak = peakRssMiB(bridge.child.pid!);
    process.stdout.write(
      `worst body: ${series} series in ${body.length} bytes, refused; bridge peak RSS ${peak.toFixed(0)} MiB\n`,
    );
    expect(peak).toBeLessThan(1024);
    expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
  }, 120_000);
});
