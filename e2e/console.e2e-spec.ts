import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FleetService } from '../backend/src/fleet/fleet.service';
import { until } from '../backend/test/fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from '../backend/test/fakes/fake-openai';
import { ADMIN, createUser, startTestApp, type TestApp } from '../backend/test/support/test-app';
import {
  CHROMIUM,
  CONSOLE_DIR,
  ROOT,
  chromiumMissing,
  launchChromium,
  newUserPage,
  resetArtifacts,
  shot,
  step,
} from './support/browser';

const LAUNCHER = join(ROOT, 'agents', 'dist', 'fleet', 'launcher.js');
/** The Node agents; the Python System-Monitor joins them when the host has python3-socketio. */
const FLEET = ['Storage-Custodian', 'Echo-Bot', 'Weather-Sentinel', 'Code-Reviewer-AI', 'Security-Audit-Bot'];

/** What the operator types: the fake model turns the directive into a command_agent tool call. */
const CLEANUP_REQUEST =
  'The storage folder is filling up, please clean the temporary files. ' +
  `[[tool:command_agent ${JSON.stringify({ agentId: 'Storage-Custodian', command: 'cleanup_tmp', reasoning: 'stale tmp files fill the quota' })}]]`;

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * The console in a real browser against the real hub: the demo fleet as child processes, the Butler on the fake
 * OpenAI-compatible model (scripted, so every run takes the same path). One operator's day, step by step; each
 * step leaves a screenshot in test-artifacts/console/.
 */
suite('console in Chromium (hub + demo fleet + fake model)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page;
  let pageErrors: string[];

  const byTestId = (p: Page, id: string, attrs: Record<string, string> = {}) =>
    p.locator(
      `[data-testid="${id}"]${Object.entries(attrs)
        .map(([k, v]) => `[data-${k}="${v}"]`)
        .join('')}`,
    );

  async function login(p: Page, username: string, password: string): Promise<void> {
    await p.goto('/');
    await byTestId(p, 'login-page').waitFor();
    await byTestId(p, 'login-username').fill(username);
    await byTestId(p, 'login-password').fill(password);
    await byTestId(p, 'login-submit').click();
    await byTestId(p, 'dashboard-page').waitFor();
  }

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html')))
      throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    if (!existsSync(LAUNCHER))
      throw new Error(`no agents build at ${LAUNCHER}: run npm run build:agents (npm test builds it)`);
    resetArtifacts();
    fake = await startFakeOpenAi();
    t = await startTestApp({
      FRONTEND_DIR: CONSOLE_DIR,
      FLEET: 'on',
      BUTLER_BASE_URL: fake.url,
      BUTLER_MODEL: 'fake-butler',
    });
    await t.app.get(FleetService).start(t.url, LAUNCHER);
    browser = await launchChromium();
    const admin = await newUserPage(browser, t.url);
    contexts.push(admin.context);
    page = admin.page;
    pageErrors = admin.errors;
  }, 90000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    await fake?.close();
  });

  it('login: a wrong password is refused with a message, the right one opens the dashboard', async () => {
    await step(page, 'login', async () => {
      await page.goto('/');
      await page.waitForURL(/\/login/);
      await byTestId(page, 'login-username').fill(ADMIN.username);
      await byTestId(page, 'login-password').fill('not-the-password');
      await byTestId(page, 'login-submit').click();
      await byTestId(page, 'login-error').waitFor();
      expect(await byTestId(page, 'login-error').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
      await shot(page, '01-login-error');
      await byTestId(page, 'login-password').fill(ADMIN.password);
      await byTestId(page, 'login-submit').click();
      await byTestId(page, 'dashboard-page').waitFor();
      await expect(byTestId(page, 'current-user').textContent()).resolves.toContain(ADMIN.username);
    });
  });

  it('dashboard: the whole demo fleet comes online, with live logs', async () => {
    await step(page, 'dashboard', async () => {
      for (const name of FLEET)
        await byTestId(page, 'fleet-card', { 'agent-name': name, online: 'true' }).waitFor({ timeout: 30000 });
      // Every card online, and the counter agrees with the cards.
      const cards = byTestId(page, 'fleet-card');
      await until(
        async () => {
          const [all, online, stat] = [
            await cards.count(),
            await cards.and(page.locator('[data-online="true"]')).count(),
            await byTestId(page, 'stat-online').textContent(),
          ];
          return all >= FLEET.length && online === all && stat?.trim() === String(all);
        },
        30000,
        'every fleet card online and counted',
      );
      await byTestId(page, 'log-row').first().waitFor({ timeout: 20000 });
      await shot(page, '02-dashboard');
    });
  });

  it('agents: Storage-Custodian shows its command card, and a message to it is stored', async () => {
    await step(page, 'agent-chat', async () => {
      await byTestId(page, 'nav-agents').click();
      await byTestId(page, 'agent-item', { 'agent-name': 'Storage-Custodian' }).click();
      const header = byTestId(page, 'agent-chat-header');
      await header.waitFor();
      await header.getByRole('button').click();
      await expect(byTestId(page, 'agent-card').textContent()).resolves.toContain('cleanup_tmp');
      await byTestId(page, 'chat-input').fill('Hello Storage-Custodian, how full are you?');
      await byTestId(page, 'chat-input').press('Enter');
      // The optimistic bubble is replaced by the stored row (it has an id) once the hub acks.
      await byTestId(page, 'chat-message')
        .filter({ hasText: 'how full are you?' })
        .and(page.locator('[data-message-id]'))
        .waitFor();
      await expect(byTestId(page, 'chat-pending').count()).resolves.toBe(0);
      await shot(page, '03-agent-chat');
    });
  });

  it('Butler: asked to clean up, it proposes cleanup_tmp; approved in the card, the result lands in the thread', async () => {
    await step(page, 'butler', async () => {
      await byTestId(page, 'nav-butler').click();
      await byTestId(page, 'butler-home').waitFor();
      await expect(byTestId(page, 'butler-brain').textContent()).resolves.toContain('fake-butler');
      await byTestId(page, 'chat-input').fill(CLEANUP_REQUEST);
      await byTestId(page, 'chat-send').click();
      await page.waitForURL(/\/butler\/\d+$/);

      const card = byTestId(page, 'approval-card');
      await card.and(page.locator('[data-status="PENDING"]')).waitFor();
      await expect(card.getByTestId('approval-agent').textContent()).resolves.toBe('Storage-Custodian');
      await expect(card.getByTestId('approval-command').textContent()).resolves.toBe('cleanup_tmp');
      await expect(byTestId(page, 'approvals-badge').textContent()).resolves.toContain('1');
      await byTestId(page, 'chat-message').filter({ hasText: 'APPROVAL_REQUIRED' }).waitFor();
      await shot(page, '04-butler-approval-pending');

      await card.getByTestId('approval-reason').fill('tmp files only');
      await card.getByTestId('approval-approve').click();
      await card.and(page.locator('[data-status="SUCCEEDED"]')).waitFor({ timeout: 20000 });
      await expect(card.getByTestId('approval-result').textContent()).resolves.toContain('cache-7f3a.tmp');
      // The Butler reports the outcome in the thread, and no approval is left pending.
      await byTestId(page, 'chat-message')
        .filter({ hasText: 'Update:' })
        .filter({ hasText: 'cache-7f3a.tmp' })
        .waitFor({ timeout: 20000 });
      await byTestId(page, 'approvals-badge').waitFor({ state: 'detached' });
      await shot(page, '05-butler-result');
    });
    // The command really ran on the agent: its seeded temporary files are gone.
    const tmp = join(t.config.dataDir, 'hive_storage', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp).filter((f) => f.endsWith('.tmp')) : []).toEqual([]);
  });

  it('monitor: the Butler ↔ Storage-Custodian exchange is on the timeline', async () => {
    await step(page, 'monitor', async () => {
      await byTestId(page, 'tab-monitor').click();
      await byTestId(page, 'monitor-page').waitFor();
      await byTestId(page, 'monitor-agent', { 'agent-name': 'Storage-Custodian' }).click();
      await byTestId(page, 'monitor-event', { direction: 'TO_AGENT' })
        .filter({ hasText: 'run: cleanup_tmp' })
        .waitFor();
      // The decision that let it run is on the same timeline.
      await byTestId(page, 'monitor-event', { direction: 'TO_AGENT' })
        .filter({ hasText: /approval #\d+ approved by admin/ })
        .waitFor();
      await byTestId(page, 'monitor-event', { direction: 'FROM_AGENT' })
        .filter({ hasText: 'cache-7f3a.tmp' })
        .waitFor();
      await shot(page, '06-monitor');
    });
  });

  it('settings: an admin sees the settings pages', async () => {
    await step(page, 'settings', async () => {
      await byTestId(page, 'nav-settings').click();
      await byTestId(page, 'settings-page').waitFor();
      await byTestId(page, 'user-row', { username: ADMIN.username }).waitFor();
      await shot(page, '07-settings-users');
    });
  });

  it('settings → System: env fields read-only, a key stored but never shown, a change audited, the model reachable', async () => {
    await step(page, 'settings-system', async () => {
      await byTestId(page, 'settings-tab-system').click();
      await byTestId(page, 'settings-system').waitFor();
      const field = (key: string) => byTestId(page, 'setting-field', { key });
      // The hub runs with BUTLER_BASE_URL / BUTLER_MODEL set: the console must not pretend they can be edited.
      await expect(field('butler.baseUrl').getAttribute('data-source')).resolves.toBe('env');
      await expect(field('butler.model').getByTestId('setting-input').isDisabled()).resolves.toBe(true);
      await expect(field('butler.model').getByTestId('setting-env-note').textContent()).resolves.toContain(
        'BUTLER_MODEL',
      );

      const key = field('butler.apiKey');
      await expect(key.getByTestId('setting-secret-state').textContent()).resolves.toBe('not set');
      await key.getByTestId('setting-secret-replace').click();
      await key.getByTestId('setting-secret-input').fill('sk-e2e-never-shown');
      await key.getByTestId('setting-secret-save').click();
      await key.getByTestId('setting-secret-state').filter({ hasText: /^set$/ }).waitFor();

      const days = field('logs.retentionDays');
      await days.getByTestId('setting-input').fill('30');
      await byTestId(page, 'system-save').click();
      await byTestId(page, 'setting-field', { key: 'logs.retentionDays', source: 'db' }).waitFor();
      await byTestId(page, 'audit-row', { key: 'logs.retentionDays' }).filter({ hasText: '30' }).waitFor();
      await expect(byTestId(page, 'audit-row', { key: 'butler.apiKey' }).textContent()).resolves.toContain('••••');

      await byTestId(page, 'model-test').click();
      await byTestId(page, 'model-test-result').and(page.locator('[data-ok="true"]')).waitFor();
      await expect(byTestId(page, 'model-test-model').first().textContent()).resolves.toBe('fake-butler');
      await expect(page.content()).resolves.not.toContain('sk-e2e-never-shown');
      await shot(page, '08-settings-system', true);
    });
  });

  it('a MEMBER sees no settings and no monitor, even by URL', async () => {
    const { password } = await createUser(t, 'operator-mia', 'MEMBER');
    const member = await newUserPage(browser, t.url);
    contexts.push(member.context);
    const p = member.page;
    await step(p, 'member', async () => {
      await login(p, 'operator-mia', password);
      await byTestId(p, 'fleet-card').first().waitFor();
      await expect(byTestId(p, 'nav-settings').count()).resolves.toBe(0);
      await shot(p, '09-member-dashboard');
      // canMatch refuses the route: the wildcard sends the member back to the dashboard, the chunk never loads.
      await p.goto('/settings');
      await byTestId(p, 'dashboard-page').waitFor();
      await expect(byTestId(p, 'settings-page').count()).resolves.toBe(0);
      await byTestId(p, 'nav-butler').click();
      await byTestId(p, 'butler-home').waitFor();
      await expect(byTestId(p, 'tab-monitor').count()).resolves.toBe(0);
      await shot(p, '10-member-butler');
    });
    expect(member.errors).toEqual([]);
  });

  it('threads: a second tab sees a rename live, and leaves a thread deleted in the first', async () => {
    const { password } = await createUser(t, 'operator-ray', 'MEMBER');
    const first = await newUserPage(browser, t.url);
    contexts.push(first.context);
    const a = first.page;
    await step(a, 'threads', async () => {
      await login(a, 'operator-ray', password);
      await byTestId(a, 'nav-butler').click();
      await byTestId(a, 'thread-new').click();
      await a.waitForURL(/\/butler\/\d+$/);
      const url = a.url();
      const id = /\/butler\/(\d+)$/.exec(url)![1];
      // Same browser session, another tab on the same thread.
      const b = await first.context.newPage();
      b.on('pageerror', (err) => first.errors.push(err.message));
      await b.goto(url);
      await byTestId(b, 'thread-item', { 'thread-id': id }).waitFor();
      // Chromium throttles a tab in the background: the one acting comes to the front.
      await a.bringToFront();

      await byTestId(a, 'thread-item', { 'thread-id': id }).hover();
      await byTestId(a, 'thread-item', { 'thread-id': id }).getByTestId('thread-rename').click();
      await byTestId(a, 'thread-rename-input').fill('Night shift');
      await byTestId(a, 'thread-rename-input').press('Enter');
      await byTestId(b, 'thread-title').filter({ hasText: 'Night shift' }).waitFor();
      await byTestId(b, 'thread-item', { 'thread-id': id }).filter({ hasText: 'Night shift' }).waitFor();
      await shot(b, '11-thread-renamed-elsewhere');

      await byTestId(a, 'thread-item', { 'thread-id': id }).hover();
      await byTestId(a, 'thread-item', { 'thread-id': id }).getByTestId('thread-delete').click();
      await byTestId(a, 'thread-item', { 'thread-id': id }).getByTestId('thread-delete-confirm').click();
      for (const tab of [a, b]) {
        await tab.waitForURL(/\/butler$/);
        await byTestId(tab, 'butler-home').waitFor();
        await byTestId(tab, 'thread-item', { 'thread-id': id }).waitFor({ state: 'detached' });
      }
      await shot(b, '12-thread-deleted-elsewhere');
      const res = await fetch(`${t.url}/api/conversations`, {
        headers: { authorization: `Bearer ${(await t.login('operator-ray', password)).accessToken}` },
      });
      expect(((await res.json()) as { id: number }[]).map((c) => String(c.id))).not.toContain(id);
    });
    expect(first.errors).toEqual([]);
  });

  it('raised no uncaught errors in the admin page', () => {
    expect(pageErrors).toEqual([]);
  });
});
