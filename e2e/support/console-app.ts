import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, startTestApp, type TestApp } from '../../backend/test/support/test-app';
import { CONSOLE_DIR, launchChromium, newUserPage } from './browser';

/** A test hub serving the built console, with `env` on top; fails at once, saying what to run, when there is no build. */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<TestApp> {
  if (!existsSync(join(CONSOLE_DIR, 'index.html')))
    throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
  return startTestApp({ FRONTEND_DIR: CONSOLE_DIR, ...env });
}

/** Signs `user` in from the login page and waits for the dashboard. */
export async function signIn(page: Page, user: { username: string; password: string } = ADMIN): Promise<void> {
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
  await page.goto('/');
  await byTestId('login-username').fill(user.username);
  await byTestId('login-password').fill(user.password);
  await byTestId('login-submit').click();
  await byTestId('dashboard-page').waitFor();
}

export interface SignedInBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page, for the suite to check it stayed clean. */
  errors: string[];
}

/** Chromium with one page signed in as `user` (the admin by default), on the dashboard; closed again if sign-in fails. */
export async function openSignedIn(
  baseURL: string,
  user: { username: string; password: string } = ADMIN,
): Promise<SignedInBrowser> {
  const browser = await launchChromium();
  try {
    const { context, page, errors } = await newUserPage(browser, baseURL);
    await signIn(page, user);
    return { browser, context, page, errors };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}
