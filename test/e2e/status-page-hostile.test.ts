/**
 * The status page of the real bridge against an upstream whose model is named `<img src=x onerror=alert(1)>`
 * (and whose HELP text and a relabel rule carry `<script>`), in headless Chromium: the names show as text
 * wherever they appear, no element is made of them and no script of theirs runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';
import {
  assertStatusPageWired,
  chromiumBin,
  launchChromium,
  screenshot,
  watchPage,
  type Browser,
  type PageWatch,
} from './status-page-browser.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const RULE_VALUE = '<script>alert(2)</script>';
const BODY = [
  '# HELP baseten_replicas_active Active replicas <script>alert(3)</script>',
  '# TYPE baseten_replicas_active gauge',
  `baseten_replicas_active{model_name="${HOSTILE}",model_id="evil1"} 1`,
  'baseten_replicas_active{model_name="plain",model_id="p1"} 2',
  '',
].join('\n');

describe.skipIf(!chromiumBin)('a hostile model name on the status page, in Chromium', () => {
  let home: string;
  let upstream: TestServer;
  let bridge: BridgeProcess;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let base: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'bridge-status-hostile-'));
    upstream = await startTestServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(BODY);
    });
    const config = join(home, 'bridge.yml');
    writeFileSync(
      config,
      [
        'upstream:',
        `  url: ${upstream.url}`,
        '  interval: 15s',
        '  timeout: 5s',
        'metric_relabel_configs:',
        '  - source_labels: [model_id]',
        '    regex: evil1',
        '    target_label: note',
        `    replacement: '${RULE_VALUE}'`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`],
      childEnv({ BASETEN_API_KEY: generateApiKey() }, home),
    );
    await pollUntil('the bridge to serve fresh data', async () =>
      (await fetch(`${base}/-/ready`)).status === 200 ? true : undefined,
    );
    await assertStatusPageWired(base);
    browser = await launchChromium();
    page = await browser.context.newPage();
    watch = watchPage(page);
    expect((await page.goto(`${base}/`))?.status()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    await upstream?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('offers the hostile series as text in the picker', async () => {
    const options = await page.locator('#relabel-pick option').allTextContents();
    expect(options.some((o) => o.includes(`model_name="${HOSTILE}"`))).toBe(true);
    expect(await page.locator('#relabel-rules').inputValue()).toContain(RULE_VALUE);
  });

  it('traces it and shows every label as text', async () => {
    const value = await page.locator('#relabel-pick option', { hasText: HOSTILE }).first().getAttribute('value');
    await page.getByLabel('A series from the last fetch').selectOption(value!);
    await page.getByRole('button', { name: 'Use this series' }).click();
    await page.getByRole('button', { name: 'Trace' }).click();
    const trace = page.locator('#relabel-result .trace');
    await trace.waitFor();
    const text = await trace.innerText();
    expect(text).toContain(`model_name="${HOSTILE}"`);
    expect(text).toContain(`+ note="${RULE_VALUE}"`);
    await screenshot(page, 'status-page-hostile.png');
  });

  it('made no element of them and ran none of their script', async () => {
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('script').getAttribute('src')).toBe('assets/status-page.js');
    expect(await page.locator('body').innerText()).toContain(HOSTILE);
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([]);
  });
});
