/**
 * Debian's Chromium driven by playwright-core for the status page's end-to-end tests: a fresh profile per
 * launch, no downloaded browser, and a record of everything the page could do behind our back (dialogs,
 * script errors, console errors such as CSP violations).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/bridge-process.js';
import { requireBinary } from '../helpers/require-binary.js';

/** Debian's package installs it here; tests skip (or fail under CI) without it. */
export const chromiumBin = requireBinary('chromium', 'chromium');
const ARTIFACTS = resolve(REPO_ROOT, 'test/artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(
  options: { httpCredentials?: { username: string; password: string } } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'bridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageWatch {
  dialogs: string[];
  errors: string[];
}

/** Dismisses and records every dialog (an `alert(1)` that ran would land here) and every error the page logs. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => watch.errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.errors.push(`console: ${msg.text()}`);
  });
  return watch;
}

/** Fails at once, and says why, when the bridge was started without a StatusSource (it then serves no page at `/`). */
export async function assertStatusPageWired(base: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${base}/api/v1/status`, { headers });
  if (res.status === 404) {
    throw new Error(
      'the running bridge serves no status page: src/cli/run-server.ts must ' +
        'pass `status` (a StatusSource) to createApp',
    );
  }
  if (res.status !== 200) throw new Error(`GET /api/v1/status answered ${res.status}`);
}

/** Saves a screenshot under test/artifacts/ (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage });
  return path;
}
