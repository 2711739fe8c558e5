/**
 * The snapshot builder's thread dies in the middle of a build (out of memory on a pathological body, or a
 * bug): the bridge keeps serving the last good data throughout, counts the cycle under a reason of its own
 * (`builder_failed`, not `parse`, which would send an operator to look at Baseten's body), says so in one log
 * line, and the next cycle builds on a new thread. The compiled bridge (dist/) is used: it has the real thread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bridge as BridgeType } from '../../src/targets/index.js';
import type * as ConfigModule from '../../src/config/index.js';
import type * as LogModule from '../../src/log/index.js';
import type * as MetricsModule from '../../src/selfmetrics/bridge-metrics.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
/** Enough series that a build takes a while on a fresh thread (a cold cache). */
function body(value: number): string {
  const lines = ['# TYPE baseten_inference_requests_total counter'];
  for (let i = 0; i < 60_000; i++)
    lines.push(`baseten_inference_requests_total{model_name="m${i % 500}",replica="r${i}"} ${value}`);
  return `${lines.join('\n')}\n`;
}

let server: TestServer;
let value = 1;

beforeEach(async () => {
  server = await startTestServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(body(value));
  });
});

afterEach(async () => {
  await server.close();
});

describe('the builder thread dies mid-build', () => {
  it('keeps serving, counts builder_failed, logs it once, and builds on a new thread next', async () => {
    // The compiled modules: their builder runs in a worker thread, as the CLI's does.
    const dist = '../../dist';
    const { buildConfig } = (await import(`${dist}/config/index.js`)) as typeof ConfigModule;
    const { createLogger, SecretRegistry } = (await import(`${dist}/log/index.js`)) as typeof LogModule;
    const { createBridgeMetrics } = (await import(`${dist}/selfmetrics/bridge-metrics.js`)) as typeof MetricsModule;
    const { Bridge } = (await import(`${dist}/targets/index.js`)) as { Bridge: typeof BridgeType };
    const lines: string[] = [];
    const secrets = new SecretRegistry();
    const logger = createLogger({ level: 'info', format: 'logfmt', secrets, write: (l) => lines.push(l) });
    const metrics = createBridgeMetrics();
    const config = buildConfig({ upstream: { url: server.url, interval: '15s', timeout: '5s' } }, 'test', '/')
      .targets[0]!;
    const bridge = new Bridge({
      config,
      logger,
      secrets,
      metrics,
      keyLookup: { env: { BASETEN_API_KEY: KEY }, homeDir: '/nonexistent' },
    });
    try {
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      const good = bridge.store.servable()!;
      expect(good.seriesServed).toBe(60_000);

      // The next body is new to the cache: while its build runs, the thread is stopped from outside.
      value = 2;
      const builder = (
        bridge as unknown as { builder: { pending: Map<number, unknown>; worker: { terminate(): Promise<number> } } }
      ).builder;
      const cycle = bridge.runCycle();
      await pollUntil('a build in flight', () => (builder.pending.size > 0 ? true : undefined), 10_000, 1);
      const dying = builder.worker;
      expect(bridge.store.servable(), 'served while the build runs').toBe(good);
      await dying.terminate();
      const failed = await cycle;
      expect(failed).toMatchObject({ ok: false, reason: 'builder_failed', nextWhy: 'interval' });
      expect(failed.message).toMatch(
        new RegExp(
          String.raw`^snapshot builder: its thread exited \(exit code 1\) while ` +
            String.raw`building; a new builder thread has started and the last good ` +
            String.raw`data stays served$`,
        ),
      );
      expect(bridge.store.servable(), 'the last good data stays served').toBe(good);
      const counted = (await metrics.registry.getSingleMetric('baseten_bridge_fetch_failures_total')!.get()).values;
      expect(counted.filter((v) => v.value > 0).map((v) => v.labels.reason)).toEqual(['builder_failed']);
      const said = lines.filter((l) => l.includes('builder'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        new RegExp(
          String.raw`level=error msg="cycle failed: the snapshot builder failed; ` +
            String.raw`serving the last good data while it is fresh" ` +
            String.raw`reason=builder_failed err="snapshot builder: its thread ` +
            String.raw`exited`,
        ),
      );

      // A good cycle after, on the new thread.
      expect(builder.worker).not.toBe(dying);
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      expect(bridge.store.servable()!.text.toString()).toContain('replica="r7"} 2 ');
    } finally {
      await bridge.close();
    }
  }, 60_000);
});
