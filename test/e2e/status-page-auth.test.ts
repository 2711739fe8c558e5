/**
 * The status page of the real bridge (`demo --web.config.file` with basic_auth_users) in headless Chromium:
 * no page without credentials or with wrong ones; with them, the page, its script's API calls and the reload
 * button all work.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { assertStatusPageWired, chromiumBin, launchChromium, screenshot, watchPage } from './status-page-browser.js';

const USER = 'operator';
const PASSWORD = 'let-me-see-the-page';

describe.skipIf(!chromiumBin)('the status page behind basic auth, in Chromium', () => {
  let home: string;
  let bridge: BridgeProcess;
  let base: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'bridge-status-auth-'));
    const web = join(home, 'web.yml');
    writeFileSync(web, `basic_auth_users:\n  ${USER}: ${bcrypt.hashSync(PASSWORD, 6)}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      ['demo', `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${web}`, '--web.enable-lifecycle'],
      childEnv({}, home),
    );
    const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    await pollUntil('the demo to serve fresh data', async () =>
      (await fetch(`${base}/-/ready`, { headers: { authorization } })).status === 200 ? true : undefined,
    );
    await assertStatusPageWired(base, { authorization });
  }, 60_000);

  afterAll(async () => {
    await bridge?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses the page without credentials: the browser gets only the challenge', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      // With no credentials to give, Chromium abandons the navigation at the challenge.
      await expect(page.goto(`${base}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
      const res = await page.request.get(`${base}/`);
      expect(res.status()).toBe(401);
      expect(res.headers()['www-authenticate']).toBe('Basic realm="baseten-bridge"');
      expect(await res.text()).toBe('Unauthorized.\n');
    } finally {
      await browser.close();
    }
  });

  it('refuses the page with a wrong password', async () => {
    const browser = await launchChromium({ httpCredentials: { username: USER, password: 'guess' } });
    try {
      const page = await browser.context.newPage();
      const res = await page.goto(`${base}/`);
      expect(res?.status()).toBe(401);
      expect((await page.locator('body').innerText()).trim()).toBe('Unauthorized.');
      expect(await page.locator('#targets').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it('serves the page, the debugger and the reload button with the right credentials', async () => {
    const browser = await launchChromium({ httpCredentials: { username: USER, password: PASSWORD } });
    try {
      const page = await browser.context.newPage();
      const watch = watchPage(page);
      expect((await page.goto(`${base}/`))?.status()).toBe(200);
      expect(await page.locator('#targets .badge').first().textContent()).toBe('Up');
      await page.getByRole('button', { name: 'Trace' }).click();
      await page.locator('#relabel-result .trace').waitFor();
      await page.getByRole('button', { name: 'Reload config' }).click();
      await expect
        .poll(() => page.locator('#reload-result').textContent())
        .toBe(
          'Reloaded. Each target applies the new config (relabel rules included) ' +
            'from its next fetch; until then /metrics serves what the last one ' +
            'built. Refresh the page to see the new config.',
        );
      await screenshot(page, 'status-page-auth.png');
      expect(watch.dialogs).toEqual([]);
      expect(watch.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
