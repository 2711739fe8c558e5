/**
 * --web.enable-lifecycle and cross-site requests, against the real process (`baseten-bridge demo`): without
 * the flag /-/reload is 403 and SIGHUP still reloads; with it, a cross-site form post is refused and
 * same-origin or non-browser requests reload.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';

let bridge: BridgeProcess | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});

async function startDemo(extra: string[]): Promise<string> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'bridge-lifecycle-'));
  bridge = spawnBridge(['demo', `--web.listen-address=127.0.0.1:${port}`, ...extra], childEnv({}, home));
  const base = `http://127.0.0.1:${port}`;
  await pollUntil('the demo to answer', async () => ((await fetch(`${base}/-/healthy`)).ok ? true : undefined));
  return base;
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const RELOADED_LOG = 'msg="config reloaded; each target applies it (relabel rules included) from its next fetch"';

describe('the lifecycle API', () => {
  it('is off by default: /-/reload is 403, the page has no reload button, SIGHUP still reloads', async () => {
    const base = await startDemo([]);
    for (const method of ['POST', 'PUT']) {
      const res = await fetch(`${base}/-/reload`, { method });
      expect(res.status).toBe(403);
      expect(await res.text()).toBe(
        'Lifecycle API is not enabled: start the bridge with --web.enable-lifecycle, or send it SIGHUP.\n',
      );
    }
    const page = await (await fetch(`${base}/`)).text();
    expect(page).not.toContain('id="reload-form"');
    expect(page).toContain('--web.enable-lifecycle');
    bridge!.child.kill('SIGHUP');
    await pollUntil('SIGHUP to reload', () => (bridge!.stderr().includes(RELOADED_LOG) ? true : undefined));
  });

  it.each<[string, Record<string, string>]>([
    ['a cross-origin form post', { ...form, Origin: 'http://evil.example' }],
    ['a form post without Origin', form],
    ['a text/plain post from another site', { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site' }],
    ['a body-less no-cors fetch from another origin', { Origin: 'http://127.0.0.1:1' }],
    [
      'a multipart form from a sibling site',
      { 'Content-Type': 'multipart/form-data; boundary=x', 'Sec-Fetch-Site': 'same-site' },
    ],
  ])('with --web.enable-lifecycle, refuses %s (403, no reload)', async (_what, headers) => {
    const base = await startDemo(['--web.enable-lifecycle']);
    const res = await fetch(`${base}/-/reload`, {
      method: 'POST',
      headers,
      body: headers['Content-Type'] ? 'a=b' : null,
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(
      /^Forbidden: cross-site request refused \(.+\); send it from the status page or without a browser\.\n$/,
    );
    expect(bridge!.stderr()).not.toContain('config reloaded');
  });

  it('with --web.enable-lifecycle, reloads for a same-origin form (the status page button) and for curl', async () => {
    const base = await startDemo(['--web.enable-lifecycle']);
    const sameOrigin = await fetch(`${base}/-/reload`, {
      method: 'POST',
      headers: { ...form, Origin: base, 'Sec-Fetch-Site': 'same-origin' },
      body: '',
    });
    expect(sameOrigin.status).toBe(200);
    const curl = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(curl.status).toBe(200);
    // Said in the answer and the log: what /metrics serves changes only when each target fetches again.
    expect(await curl.text()).toBe(
      'Reloaded. Each target applies the new config (relabel rules included) ' +
        'from its next fetch; until then /metrics serves what the last one built.\n',
    );
    expect(bridge!.stderr()).toContain(RELOADED_LOG);
    expect((await fetch(`${base}/-/reload`, { method: 'PUT' })).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain('id="reload-form"');
  });
});
