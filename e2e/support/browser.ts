import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const CONSOLE_DIR = join(ROOT, 'frontend', 'dist', 'browser');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

/** Debian's Chromium (apt-get install chromium); never a downloaded Playwright build. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Launch flags for a quiet, reproducible headless run. Playwright adds most of them itself; they are listed so
 * the run does not depend on its defaults. Playwright also gives every launch a fresh temporary
 * `--user-data-dir` (and removes it on close), so no profile, cache or session leaks between runs.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30000 });
}

/** A context per user: separate localStorage, so two sessions never share a token. */
export async function newUserPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    colorScheme: 'light',
  });
  const page = await context.newPage();
  // Short waits: everything here is local, so a missing element is a failure, not slowness.
  page.setDefaultTimeout(15000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

/**
 * Fresh artifacts for every run, so the folder always shows the last run only. `prefix` clears one suite's
 * files (the tour's `tour-*`) and keeps the others', whichever suite runs first.
 */
export function resetArtifacts(prefix?: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of readdirSync(ARTIFACTS)) {
    const own = prefix ? name.startsWith(prefix) : !name.startsWith(TOUR_PREFIX);
    if (own) rmSync(join(ARTIFACTS, name), { recursive: true, force: true });
  }
}

/** The console tour's screenshots (e2e/console-tour.e2e-spec.ts), which the other suites leave alone. */
export const TOUR_PREFIX = 'tour-';

/**
 * `whole` for long pages. The console scrolls inside <main>, not the document, so Playwright's fullPage would
 * still cut it: the viewport is stretched to <main>'s content for the picture, then put back.
 */
export async function shot(page: Page, name: string, whole = false): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  const size = page.viewportSize();
  if (!whole || !size) return void (await page.screenshot({ path }));
  const height = await page.evaluate(() => {
    const main = document.querySelector('main');
    return main ? main.getBoundingClientRect().top + main.scrollHeight : document.body.scrollHeight;
  });
  await page.setViewportSize({ width: size.width, height: Math.min(Math.ceil(height), 6000) });
  try {
    await page.screenshot({ path });
  } finally {
    await page.setViewportSize(size);
  }
}

/** Runs one step of the flow; on failure keeps a screenshot of what the browser showed, then fails. */
export async function step(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    await shot(page, `FAILED-${name}`).catch(() => undefined);
    throw err;
  }
}

export const chromiumMissing = () => !existsSync(CHROMIUM);
