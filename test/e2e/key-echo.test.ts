/**
 * An upstream that echoes the Authorization header into a label value: the real bridge must never serve
 * the key. The cycle fails with reason="key_in_body" (logged once, by prefix), nothing of that body reaches
 * /metrics, the status page or its API, and the first clean body is served again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

let upstream: TestServer | undefined;
let bridge: BridgeProcess | undefined;
afterEach(async () => {
  await bridge?.stop();
  await upstream?.close();
  bridge = upstream = undefined;
});

type Echo = (authorization: string) => string;

const ECHOES: Array<[string, Echo]> = [
  ['the header as sent', (h) => h],
  ['the key alone', (h) => h.replace(/^Api-Key /, '')],
  ['base64 of the key', (h) => Buffer.from(h.replace(/^Api-Key /, '')).toString('base64')],
  [
    'base64 of the key and more, as in a Basic header',
    (h) => Buffer.from(`${h.replace(/^Api-Key /, '')}:x`).toString('base64'),
  ],
];

describe('a key echoed by the upstream', () => {
  it.each(ECHOES.map(([what, echo], i) => [what, echo, i === 0] as const))(
    'is never served: %s',
    async (_what, echo, recover) => {
      const key = generateApiKey();
      const secret = key.slice(key.indexOf('.') + 1);
      let echoing = true;
      upstream = await startTestServer((req, res) => {
        const value = echoing ? echo(req.headers.authorization ?? '') : 'clean';
        res.setHeader('Content-Type', 'text/plain; version=0.0.4');
        res.end(`# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_name="m",auth="${value}"} 1\n`);
      });
      const dir = mkdtempSync(join(tmpdir(), 'bridge-echo-'));
      writeFileSync(join(dir, 'bridge.yml'), `upstream:\n  url: ${upstream.url}\n  interval: 12s\n  timeout: 5s\n`);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      bridge = spawnBridge(
        ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=', '--log.level=debug'],
        childEnv({ BASETEN_API_KEY: key }, dir),
      );
      const metrics = await pollUntil('the refused cycle to be counted', async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('baseten_bridge_fetch_failures_total{target="default",reason="key_in_body"} 1')
          ? text
          : undefined;
      });
      expect(metrics).not.toContain('baseten_replicas_active{');
      const seen = [
        metrics,
        await (await fetch(`${base}/`)).text(),
        await (await fetch(`${base}/api/v1/status`)).text(),
      ];
      if (recover) {
        // The next attempt is one interval later; the first clean body is served.
        echoing = false;
        const served = await pollUntil(
          'the clean body to be served',
          async () => {
            const text = await (await fetch(`${base}/metrics`)).text();
            return text.includes('auth="clean"') ? text : undefined;
          },
          25_000,
        );
        seen.push(served);
      }
      seen.push(bridge.stderr(), bridge.stdout());
      for (const text of seen) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(key).toString('base64').slice(0, 40));
      }
      const logged = bridge
        .stderr()
        .split('\n')
        .filter((l) => l.includes('reason=key_in_body'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain(`the body contains the API key ${key.slice(0, 8)}.***`);
    },
    45_000,
  );
});
