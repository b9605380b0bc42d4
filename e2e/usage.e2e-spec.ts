import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFakeOpenAi, type FakeOpenAi } from '../backend/test/fakes/fake-openai';
import { ADMIN, startTestApp, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, CONSOLE_DIR, chromiumMissing, launchChromium, newUserPage, shot, step } from './support/browser';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * Model usage in Chromium: the Butler thread's header shows what the thread spent (the fake model reports
 * 10 prompt + 5 completion tokens per answer), Settings → Usage shows it per user, model and day with cost
 * from the price setting, and a turn over the daily budget is answered with the hub's message.
 * Screenshots land in test-artifacts/console/ (usage-*), light and dark.
 */
suite('model usage in Chromium (thread usage, Settings → Usage, budget)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let browser: Browser;
  let admin: { page: Page; errors: string[]; context: { close(): Promise<void> } };
  const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);
  const patch = (body: object) =>
    t.http().patch('/api/settings').set('authorization', `Bearer ${t.adminToken}`).send(body);

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html')))
      throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    fake = await startFakeOpenAi();
    t = await startTestApp({ FRONTEND_DIR: CONSOLE_DIR, BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    browser = await launchChromium();
    admin = await newUserPage(browser, t.url);
    const p = admin.page;
    await p.goto('/');
    await byTestId(p, 'login-username').fill(ADMIN.username);
    await byTestId(p, 'login-password').fill(ADMIN.password);
    await byTestId(p, 'login-submit').click();
    await byTestId(p, 'dashboard-page').waitFor();
  }, 90000);

  afterAll(async () => {
    await admin?.context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    await fake?.close();
  });

  it('shows a thread’s tokens in its header, growing with each answer', async () => {
    const p = admin.page;
    await step(p, 'usage-01-thread', async () => {
      await byTestId(p, 'nav-butler').click();
      await byTestId(p, 'thread-new').click();
      await p.waitForURL(/\/butler\/\d+$/);
      for (const [i, text] of ['How is the fleet?', 'And the disks?'].entries()) {
        await byTestId(p, 'chat-input').fill(text);
        await byTestId(p, 'chat-send').click();
        await p.getByText(`You said: ${text}`).waitFor();
        await byTestId(p, 'thread-usage')
          .filter({ hasText: `${(i + 1) * 15} tokens in this thread` })
          .waitFor();
      }
      expect(await byTestId(p, 'thread-usage').getAttribute('title')).toBe('Prompt 20 · completion 10 · 2 model turns');
      await shot(p, 'usage-01-thread-header');
    });
  });

  it('shows usage per user, model and day with cost once a price is set, in light and dark', async () => {
    expect((await patch({ butler: { pricesPer1k: 'fake-butler=2' } })).status).toBe(200);
    const p = admin.page;
    await step(p, 'usage-02-report', async () => {
      await byTestId(p, 'nav-settings').click();
      await byTestId(p, 'settings-tab-usage').click();
      const row = byTestId(p, 'usage-row');
      await row.first().waitFor();
      const cells = await row.first().locator('td').allInnerTexts();
      expect(cells.slice(1)).toEqual(['admin', 'fake-butler', '20', '10', '2', '0.06']);
      expect(await byTestId(p, 'usage-budget').innerText()).toContain('No daily token budget.');
      await shot(p, 'usage-02-report-light');
      await p.emulateMedia({ colorScheme: 'dark' });
      await shot(p, 'usage-03-report-dark');
      await p.emulateMedia({ colorScheme: 'light' });
    });
  });

  it('answers a turn over the daily budget with the hub’s message, not the model’s', async () => {
    expect((await patch({ butler: { dailyTokenBudget: 30 } })).status).toBe(200);
    const p = admin.page;
    const calls = fake.requests.length;
    await step(p, 'usage-04-over-budget', async () => {
      await byTestId(p, 'nav-butler').click();
      await byTestId(p, 'thread-new').click();
      await p.waitForURL(/\/butler\/\d+$/);
      await byTestId(p, 'chat-input').fill('One more question');
      await byTestId(p, 'chat-send').click();
      await p.getByText('I did not send this to the model').waitFor();
      expect(fake.requests.length).toBe(calls);
    });
    expect(admin.errors).toEqual([]);
  });
});
