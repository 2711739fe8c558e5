/**
 * The status page of the real bridge (`baseten-bridge demo`) in headless Chromium: it loads and shows the
 * target up, the relabel debugger traces a pasted series driven from the keyboard alone, every control has a
 * label, the reload button POSTs /-/reload, and a 360 px window needs no sideways scrolling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
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

const SERIES = 'baseten_replicas_active{model_name="whisper large",model_id="m1",environment="production"}';

describe.skipIf(!chromiumBin)('the status page of the demo, in Chromium', () => {
  let home: string;
  let bridge: BridgeProcess;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let base: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'bridge-status-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      ['demo', `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle'],
      childEnv({}, home),
    );
    await pollUntil('the demo to serve fresh data', async () =>
      (await fetch(`${base}/-/ready`)).status === 200 ? true : undefined,
    );
    await assertStatusPageWired(base);
    browser = await launchChromium();
    page = await browser.context.newPage();
    watch = watchPage(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('loads and shows the target up', async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('Baseten metrics bridge');
    await expect.poll(() => page.locator('#targets .badge').first().textContent()).toBe('Up');
    const facts = await page.locator('#targets .facts').first().innerText();
    expect(facts).toMatch(/LAST SUCCESS\s+\d+ (ms|s) ago/i);
    expect(facts).toMatch(/scraped → [\d,]+ served/);
    expect(await page.locator('#targets figcaption').first().textContent()).toMatch(
      /^Last hour: \d+ fetch(es)?, \d+ ok, 0 failed/,
    );
    expect(await page.locator('#cardinality tbody tr').first().textContent()).toMatch(/^baseten_\w+/);
    await screenshot(page, 'status-page-demo.png');
  });

  it('gives every form control a label', async () => {
    const unlabelled = await page.evaluate<string[]>(
      "[...document.querySelectorAll('input, select, textarea')].filter((e) " +
        "=> e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => " +
        'e.id)',
    );
    expect(unlabelled).toEqual([]);
    expect(await page.getByLabel('Series, one per line').evaluate((e) => e.tagName)).toBe('TEXTAREA');
    expect(await page.getByLabel('Rules (YAML), prefilled with the running config').inputValue()).toContain(
      'replacement: audio',
    );
    expect(await page.getByLabel('A series from the last fetch').locator('option').count()).toBeGreaterThan(10);
  });

  it('traces a pasted series, driven from the keyboard alone', async () => {
    await page.goto(`${base}/`);
    // Tab from the top of the page until the series box has the focus: it is reachable without a mouse.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'relabel-series'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.locator(':focus').getAttribute('id')) ?? '';
    }
    expect(focused).toBe('relabel-series');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(SERIES);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('id')).toBe('relabel-rules');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Trace');
    await page.keyboard.press('Enter');
    const trace = page.locator('#relabel-result .trace');
    await trace.waitFor();
    const text = await trace.innerText();
    expect(text).toContain('rule 0 · replace');
    expect(text).toContain('+ team="ml-platform"');
    expect(text).toContain('rule 1 · replace');
    expect(text).toContain('team: "ml-platform" → "audio"');
    expect(await trace.locator('.verdict').innerText()).toBe(
      'Served as baseten_replicas_active{environment="production",' +
        'model_id="m1",model_name="whisper large",team="audio"}',
    );
    await screenshot(page, 'status-page-debugger.png');
  });

  it('traces a series picked from the last fetch, and shows invalid rules as an error', async () => {
    const pick = page.getByLabel('A series from the last fetch');
    const chosen = await pick.locator('option').nth(3).getAttribute('value');
    await pick.selectOption({ index: 3 });
    await page.getByRole('button', { name: 'Use this series' }).click();
    expect(await page.getByLabel('Series, one per line').inputValue()).toBe(chosen);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => page.locator('#relabel-result .summary').textContent())
      .toBe('1 series traced through 2 rules; 1 served.');

    await page.getByLabel('Rules (YAML), prefilled with the running config').fill('- action: nope\n');
    await page.getByRole('button', { name: 'Trace' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('rules[0].action: unknown relabel action "nope"');
    await page.getByRole('button', { name: 'Reset rules to the running config' }).click();
    expect(await page.getByLabel('Rules (YAML), prefilled with the running config').inputValue()).toContain(
      'replacement: audio',
    );
  });

  it('reloads the config with the button (a POST)', async () => {
    await page.getByRole('button', { name: 'Reload config' }).click();
    await expect
      .poll(() => page.locator('#reload-result').textContent())
      .toBe(
        'Reloaded. Each target applies the new config (relabel rules included) ' +
          'from its next fetch; until then /metrics serves what the last one ' +
          'built. Refresh the page to see the new config.',
      );
  });

  it('reads in a narrow window without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`${base}/#debugger`);
    const widths = await page.evaluate<{ scroll: number; view: number }>(
      '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.view);
    const trace = await page.getByRole('button', { name: 'Trace' }).boundingBox();
    expect(trace!.x + trace!.width).toBeLessThanOrEqual(360);
    await screenshot(page, 'status-page-narrow.png', false);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('ran no dialog and logged no error but the 400 of the invalid rules (a CSP violation would be one)', () => {
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });
});
