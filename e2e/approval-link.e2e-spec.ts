import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalDto, ApprovalRequestedEvent, WebhookPayload } from '@echocenter/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from '../backend/test/fakes/butler-kit';
import { startWebhookReceiver, type WebhookReceiver } from '../backend/test/fakes/webhook-receiver';
import { ADMIN, startTestApp, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, CONSOLE_DIR, chromiumMissing, launchChromium, shot, step } from './support/browser';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

// U+202E would show the end of the command reversed; the page must spell it out.
const COMMAND = 'clean /tmp/\u202Etxt.exe';

/**
 * The one-time approval link page in Chromium (no console login: the link is the credential), under the
 * hub's real CSP, in English/light and 中文/dark; then Settings → Channels in the console: add a webhook,
 * see its secret once, send a test and read the delivery log. Screenshots: test-artifacts/console/link-*.
 */
suite('one-time approval links and Settings → Channels in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let hook: WebhookReceiver;
  let admin: Probe;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  const contexts: BrowserContext[] = [];

  async function newPage(opts: {
    locale: string;
    colorScheme: 'light' | 'dark';
  }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ baseURL: t.url, viewport: { width: 900, height: 900 }, ...opts });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // A CSP violation (an inline script or style the policy refuses) is reported on the console.
    page.on('console', (m) => {
      // (A page answered with 410 on purpose is not a problem.)
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    return { page, problems };
  }

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html')))
      throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    t = await startTestApp({ FRONTEND_DIR: CONSOLE_DIR, NOTIFY_POLL_MS: '50', PUBLIC_URL: 'https://hub.example.test' });
    hook = await startWebhookReceiver();
    admin = await connect(t, t.adminToken);
    agent = await startAgent(t, 'Storage-Custodian', [{ name: 'clean', args: '<path>' }], (run) => ({
      ok: true,
      result: `removed 3 files (${run.commandId})`,
    }));
    browser = await launchChromium();
  }, 90000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    admin?.close();
    agent?.probe.close();
    await hook?.close();
    await t?.close();
  });

  it('a link shows the approval without changing it, in English/light and 中文/dark; its form approves, once', async () => {
    await t
      .http()
      .post('/api/notifications/channels')
      .set('authorization', `Bearer ${t.adminToken}`)
      .send({ name: 'receiver', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] })
      .expect(201);
    // A webhook's links ask for the admin's password by default (a receiver may be read by many).
    const thread = await newThread(t, t.adminToken);
    await ask(admin, await butlerId(t, t.adminToken), thread, `ask Storage-Custodian to ${COMMAND}`);
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread,
    );
    await until(() => hook.received.length === 1, 8000, 'the webhook');
    const path = new URL((hook.received[0].json as WebhookPayload).links[0].url).pathname;
    const approval = async () =>
      (await t.http().get(`/api/approvals/${requested.id}`).set('authorization', `Bearer ${t.adminToken}`))
        .body as ApprovalDto;

    const zh = await newPage({ locale: 'zh-CN', colorScheme: 'dark' });
    await step(zh.page, 'link-zh-dark', async () => {
      await zh.page.goto(`${path}?d=reject`);
      await zh.page
        .locator('h1')
        .filter({ hasText: `审批 #${requested.id}` })
        .waitFor();
      await expect(zh.page.locator('button.reject').getAttribute('class')).resolves.toContain('chosen');
      await expect(zh.page.locator('button[value="approve"]').textContent()).resolves.toBe('批准');
      await expect(zh.page.locator('[data-field="time-left"]').textContent()).resolves.toMatch(/^剩余 \d+ 分钟$/);
      await shot(zh.page, 'link-01-zh-dark');
    });

    const en = await newPage({ locale: 'en-US', colorScheme: 'light' });
    const p = en.page;
    await step(p, 'link-en-light', async () => {
      const res = await p.goto(`${path}?d=approve`);
      expect(res!.status()).toBe(200);
      expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect(p.locator('[data-field="command"]').textContent()).resolves.toBe('clean /tmp/<U+202E>txt.exe');
      await expect(p.locator('[data-field="agent"]').textContent()).resolves.toBe('Storage-Custodian');
      await expect(p.locator('[data-field="requester"]').textContent()).resolves.toBe(ADMIN.username);
      await expect(p.locator('[data-field="time-left"]').textContent()).resolves.toMatch(/min left/);
      await expect(p.locator('script').count()).resolves.toBe(0);
      await expect(p.locator('#password').getAttribute('type')).resolves.toBe('password');
      await shot(p, 'link-02-en-light');
    });
    // Two pages opened (as link scanners and previews do): nothing decided.
    expect((await approval()).status).toBe('PENDING');

    await step(p, 'link-approve', async () => {
      await p.locator('#password').fill(ADMIN.password);
      await p.locator('#reason').fill('approved from my phone');
      await p.locator('button[value="approve"]').click();
      await p.locator('h1[data-outcome="approved"]').waitFor();
      await shot(p, 'link-03-approved');
    });
    await until(async () => (await approval()).status === 'SUCCEEDED', 10000, 'the command to run');
    expect(await approval()).toMatchObject({
      decisionChannel: 'LINK',
      decidedByName: ADMIN.username,
      decisionReason: 'approved from my phone',
    });
    expect(agent.runs).toHaveLength(1);

    await step(p, 'link-used', async () => {
      const again = await p.goto(path);
      expect(again!.status()).toBe(410);
      await p.locator('h1[data-problem="used"]').waitFor();
    });
    expect([...zh.problems, ...en.problems]).toEqual([]);
  });

  it('two link pages open side by side in one browser each decide their own approval', async () => {
    const admin2 = admin;
    const butler = await butlerId(t, t.adminToken);
    const ids: number[] = [];
    for (const path of ['/side/a', '/side/b']) {
      const thread = await newThread(t, t.adminToken);
      await ask(admin2, butler, thread, `ask Storage-Custodian to clean ${path}`);
      ids.push(
        (await admin2.waitFor<ApprovalRequestedEvent>('approval:requested', (a) => a.conversationId === thread)).id,
      );
    }
    await until(
      () => ids.every((id) => hook.received.some((r) => (r.json as WebhookPayload).approval?.id === id)),
      8000,
      'both messages',
    );
    const linkOf = (id: number) =>
      new URL(hook.received.map((r) => r.json as WebhookPayload).find((p) => p.approval?.id === id)!.links[0].url)
        .pathname;
    const { page: first } = await newPage({ locale: 'en-US', colorScheme: 'light' });
    const second = await first.context().newPage();
    await step(first, 'link-side-by-side', async () => {
      // Both opened before either is used: each keeps its own CSRF nonce.
      await first.goto(linkOf(ids[0]));
      await second.goto(linkOf(ids[1]));
      await first.locator('#password').fill(ADMIN.password);
      await first.locator('button[value="approve"]').click();
      await first.locator('h1[data-outcome="approved"]').waitFor();
      await second.locator('#password').fill(ADMIN.password);
      await second.locator('button[value="reject"]').click();
      await second.locator('h1[data-outcome="rejected"]').waitFor();
    });
    const status = async (id: number) =>
      ((await t.http().get(`/api/approvals/${id}`).set('authorization', `Bearer ${t.adminToken}`)).body as ApprovalDto)
        .status;
    await until(async () => (await status(ids[0])) === 'SUCCEEDED', 10000, 'the first command');
    expect(await status(ids[1])).toBe('REJECTED');
  });

  it('Settings → Channels: add a webhook, copy its secret once, send a test and read the delivery log', async () => {
    const { page: p, problems } = await newPage({ locale: 'en-US', colorScheme: 'light' });
    const byTestId = (id: string) => p.locator(`[data-testid="${id}"]`);
    await step(p, 'channels-add', async () => {
      await p.goto('/');
      await byTestId('login-username').fill(ADMIN.username);
      await byTestId('login-password').fill(ADMIN.password);
      await byTestId('login-submit').click();
      await byTestId('dashboard-page').waitFor();
      await p.goto('/settings/channels');
      await byTestId('channel-row').first().waitFor();
      await byTestId('channel-add').click();
      await byTestId('channel-name').fill('ops receiver');
      await byTestId('channel-url').fill(`${hook.url}/ops`);
      // On by default for a webhook: its links ask for the admin's password.
      await expect(byTestId('channel-links-sign-in').isChecked()).resolves.toBe(true);
      await byTestId('channel-event-approval.decided').check();
      await byTestId('channel-save').click();
      const secret = await byTestId('channel-secret-value').textContent();
      expect(secret).toMatch(/^whsec_/);
      await byTestId('channel-row').filter({ hasText: 'ops receiver' }).waitFor();
      await shot(p, 'link-04-channels-added', true);
    });
    await step(p, 'channels-test', async () => {
      const row = byTestId('channel-row').filter({ hasText: 'ops receiver' });
      await row.getByTestId('channel-test').click();
      await until(
        () => hook.received.some((r) => r.path === '/ops' && r.json.event === 'test'),
        8000,
        'the test message',
      );
      await byTestId('channel-log').waitFor();
      // No click on Refresh: the tab reads the log again by itself after a test-send.
      await p.locator('[data-testid="delivery-row"][data-ok="true"]').first().waitFor({ timeout: 5000 });
      await shot(p, 'link-05-channels-log', true);
    });
    expect(problems).toEqual([]);
  });
});
