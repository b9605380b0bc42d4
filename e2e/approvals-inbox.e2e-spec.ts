import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAgent } from '../backend/test/fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from '../backend/test/fakes/fake-openai';
import { ADMIN, createUser, startTestApp, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, CONSOLE_DIR, chromiumMissing, launchChromium, newUserPage, shot, step } from './support/browser';

/** What the operator types: the fake model turns the directive into a command_agent tool call. */
const ask = (command: string, reasoning: string) =>
  `Please run this for me. [[tool:command_agent ${JSON.stringify({ agentId: 'Storage-Custodian', command, reasoning })}]]`;
// U+202E (right-to-left override) would show "clean /tmp/exe.txt" reversed as "clean /tmp/txt.exe".
const BIDI_COMMAND = 'clean /tmp/\u202Etxt.exe';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * The approver's inbox in Chromium: a MEMBER asks the Butler (fake model) for a side-effecting command, an
 * admin in another browser context decides it from /approvals, and the member's thread shows the outcome.
 * A test agent stands in for the fleet. Screenshots land in test-artifacts/console/ (inbox-*).
 */
suite('approvals inbox in Chromium (admin decides a member’s request)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let browser: Browser;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  const contexts: BrowserContext[] = [];
  let admin: { page: Page; errors: string[] };
  let member: { page: Page; errors: string[] };

  const byTestId = (p: Page, id: string, attrs: Record<string, string> = {}) =>
    p.locator(
      `[data-testid="${id}"]${Object.entries(attrs)
        .map(([k, v]) => `[data-${k}="${v}"]`)
        .join('')}`,
    );

  async function login(p: Page, username: string, password: string): Promise<void> {
    await p.goto('/');
    await byTestId(p, 'login-username').fill(username);
    await byTestId(p, 'login-password').fill(password);
    await byTestId(p, 'login-submit').click();
    await byTestId(p, 'dashboard-page').waitFor();
  }

  /** The member asks in a new thread; resolves once the thread shows the pending approval card. */
  async function memberAsks(command: string, reasoning: string): Promise<{ id: number; thread: string }> {
    const p = member.page;
    await byTestId(p, 'nav-butler').click();
    await byTestId(p, 'thread-new').click();
    await p.waitForURL(/\/butler\/\d+$/);
    const thread = /\/butler\/(\d+)$/.exec(p.url())![1];
    await byTestId(p, 'chat-input').fill(ask(command, reasoning));
    await byTestId(p, 'chat-send').click();
    const card = byTestId(p, 'approval-card', { status: 'PENDING' }).last();
    await card.waitFor();
    return { id: Number(await card.getAttribute('data-approval-id')), thread };
  }

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html')))
      throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    fake = await startFakeOpenAi();
    t = await startTestApp({ FRONTEND_DIR: CONSOLE_DIR, BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    agent = await startAgent(
      t,
      'Storage-Custodian',
      [{ name: 'clean', args: '<path>', description: 'deletes temporary files' }],
      (run) =>
        run.args === '/mnt/readonly'
          ? { ok: false, error: 'disk is read-only' }
          : {
              ok: true,
              result:
                run.args === '/var/json'
                  ? JSON.stringify({ freedBytes: 2147483648, files: 42 })
                  : `removed 3 files under ${run.args ?? '?'}`,
            },
    );
    browser = await launchChromium();
    const { password } = await createUser(t, 'operator-mia', 'MEMBER');
    const a = await newUserPage(browser, t.url);
    const m = await newUserPage(browser, t.url);
    contexts.push(a.context, m.context);
    admin = a;
    member = m;
    await login(admin.page, ADMIN.username, ADMIN.password);
    await login(member.page, 'operator-mia', password);
  }, 90000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    agent?.probe.close();
    await t?.close();
    await fake?.close();
  });

  it('a member’s request reaches the admin’s badge; the badge opens the inbox; approved there, the member’s thread shows the result', async () => {
    let id = 0;
    await step(member.page, 'inbox-member-asks', async () => {
      ({ id } = await memberAsks('clean /tmp/cache', 'the cache fills the disk'));
    });

    const p = admin.page;
    await step(p, 'inbox-admin-approves', async () => {
      await p.bringToFront();
      await byTestId(p, 'approvals-badge').filter({ hasText: '1' }).waitFor();
      await byTestId(p, 'approvals-badge').click();
      await p.waitForURL(/\/approvals$/);
      const row = byTestId(p, 'inbox-row', { 'approval-id': String(id) });
      await row.and(p.locator('[data-status="PENDING"]')).waitFor();
      await expect(row.getByTestId('inbox-command').textContent()).resolves.toBe('clean /tmp/cache');
      await expect(row.getByTestId('inbox-agent').textContent()).resolves.toBe('Storage-Custodian');
      await expect(row.getByTestId('inbox-requester').textContent()).resolves.toContain('operator-mia');
      await expect(row.getByTestId('inbox-reasoning').textContent()).resolves.toBe('the cache fills the disk');
      await expect(row.getByTestId('inbox-policy').getAttribute('data-policy')).resolves.toBe('NEEDS_APPROVAL');
      await expect(row.getByTestId('inbox-time-left').textContent()).resolves.toMatch(/\d+:\d\d/);
      // The thread that led to it: the member's words and the Butler's answer.
      await row.getByTestId('inbox-context-message').filter({ hasText: 'Please run this for me.' }).waitFor();
      await row.getByTestId('inbox-context-message').filter({ hasText: 'APPROVAL_REQUIRED' }).waitFor();
      await shot(p, 'inbox-01-admin-pending', true);

      await row.getByTestId('inbox-approve').click();
      await row.and(p.locator('[data-status="SUCCEEDED"]')).waitFor({ timeout: 20000 });
      await expect(row.getByTestId('inbox-result').textContent()).resolves.toContain(
        'removed 3 files under /tmp/cache',
      );
      await expect(row.getByTestId('inbox-decided').textContent()).resolves.toContain(ADMIN.username);
      await byTestId(p, 'approvals-badge').waitFor({ state: 'detached' });
    });
    expect(agent.runs.map((r) => `${r.command} ${r.args}`)).toEqual(['clean /tmp/cache']);

    const m = member.page;
    await step(m, 'inbox-member-sees-result', async () => {
      await m.bringToFront();
      await byTestId(m, 'approval-card', { 'approval-id': String(id), status: 'SUCCEEDED' }).waitFor({
        timeout: 20000,
      });
      await byTestId(m, 'chat-message')
        .filter({ hasText: 'Update:' })
        .filter({ hasText: 'removed 3 files under /tmp/cache' })
        .waitFor({ timeout: 20000 });
      await shot(m, 'inbox-02-member-thread-result');
      // The member's own page: the request's status, no way to decide.
      await byTestId(m, 'nav-approvals').click();
      const row = byTestId(m, 'inbox-row', { 'approval-id': String(id) });
      await row.and(m.locator('[data-status="SUCCEEDED"]')).waitFor();
      await expect(row.getByTestId('inbox-approve').count()).resolves.toBe(0);
      await expect(byTestId(m, 'inbox-filter-requester').count()).resolves.toBe(0);
      await shot(m, 'inbox-03-member-inbox');
    });
  });

  it('a bidi override in a command is shown as a visible marker; rejected with a reason, the member’s thread says so', async () => {
    let id = 0;
    let thread = '';
    await step(member.page, 'inbox-member-asks-bidi', async () => {
      ({ id, thread } = await memberAsks(BIDI_COMMAND, 'rename the report'));
    });
    const p = admin.page;
    await step(p, 'inbox-admin-rejects', async () => {
      await p.bringToFront();
      await byTestId(p, 'nav-approvals').click();
      await byTestId(p, 'inbox-filter-status').selectOption('PENDING');
      const row = byTestId(p, 'inbox-row', { 'approval-id': String(id) });
      await row.waitFor();
      // Exactly one waiting request is listed with the filter on.
      await expect(byTestId(p, 'inbox-row').count()).resolves.toBe(1);
      await expect(row.getByTestId('inbox-command').textContent()).resolves.toBe('clean /tmp/⟨U+202E⟩txt.exe');
      await expect(row.getByTestId('inbox-command').innerText()).resolves.not.toContain('\u202E');
      await row.getByTestId('inbox-hidden-warning').waitFor();
      // The member's words in the thread carry the same override: marked there too, not obeyed.
      await row
        .getByTestId('inbox-context-message')
        .filter({ hasText: '"clean /tmp/⟨U+202E⟩txt.exe"' })
        .first()
        .waitFor();
      await shot(p, 'inbox-04-admin-bidi', true);
      // Dark theme and a phone-sized screen, for the record.
      await p.emulateMedia({ colorScheme: 'dark' });
      await p.setViewportSize({ width: 390, height: 844 });
      await shot(p, 'inbox-05-admin-bidi-dark-narrow', true);
      await p.setViewportSize({ width: 1280, height: 800 });
      await p.emulateMedia({ colorScheme: 'light' });

      await row.getByTestId('inbox-reject').click();
      await row.getByTestId('inbox-reject-reason').fill('hidden characters in the path');
      await row.getByTestId('inbox-reject-confirm').click();
      // With the "waiting" filter on, the decided request leaves the list.
      await row.waitFor({ state: 'detached' });
      await byTestId(p, 'inbox-empty').waitFor();
      await byTestId(p, 'inbox-filter-status').selectOption('REJECTED');
      await byTestId(p, 'inbox-row', { 'approval-id': String(id), status: 'REJECTED' })
        .getByTestId('inbox-decided')
        .filter({ hasText: 'hidden characters in the path' })
        .waitFor();
    });
    expect(agent.runs.map((r) => r.args)).not.toContain('/tmp/\u202Etxt.exe');

    const m = member.page;
    await step(m, 'inbox-member-sees-rejection', async () => {
      await m.bringToFront();
      await byTestId(m, 'nav-approvals').click();
      await byTestId(m, 'inbox-row', { 'approval-id': String(id), status: 'REJECTED' })
        .getByTestId('inbox-command')
        .filter({ hasText: '⟨U+202E⟩' })
        .waitFor();
      await byTestId(m, 'nav-butler').click();
      await byTestId(m, 'thread-item', { 'thread-id': thread }).click();
      await byTestId(m, 'chat-message')
        .filter({ hasText: 'was rejected' })
        .filter({ hasText: 'hidden characters in the path' })
        .waitFor({ timeout: 20000 });
    });
  });

  it('a decision that loses to another admin’s says who decided first', async () => {
    // This tab misses the other admin's decision (its approval:updated pushes are dropped), as a slow
    // network would, so its click really reaches the server second.
    const p = await contexts[0].newPage();
    p.on('pageerror', (err) => admin.errors.push(err.message));
    let dropUpdates = false;
    await p.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((msg) => {
        if (dropUpdates && typeof msg === 'string' && msg.includes('"approval:updated"')) return;
        ws.send(msg);
      });
    });
    const other = await createUser(t, 'admin-ada', 'ADMIN');
    let id = 0;
    await step(member.page, 'inbox-member-asks-race', async () => {
      await member.page.bringToFront();
      ({ id } = await memberAsks('clean /tmp/race', 'race me'));
    });
    await step(p, 'inbox-conflict', async () => {
      await p.bringToFront();
      await p.goto('/approvals');
      const row = byTestId(p, 'inbox-row', { 'approval-id': String(id), status: 'PENDING' });
      await row.waitFor();
      dropUpdates = true;
      const first = await fetch(`${t.url}/api/approvals/${id}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ approved: true }),
      });
      expect(first.status).toBe(200);
      await row.getByTestId('inbox-reject').click();
      await row.getByTestId('inbox-reject-reason').fill('too late?');
      await row.getByTestId('inbox-reject-confirm').click();
      const decided = byTestId(p, 'inbox-row', { 'approval-id': String(id) });
      await decided.getByTestId('inbox-conflict').filter({ hasText: 'Already decided by admin-ada' }).waitFor();
      // The row now shows the approval as it stands: approved by the other admin, not rejected.
      await expect(decided.getAttribute('data-status')).resolves.not.toBe('REJECTED');
      await expect(decided.getByTestId('inbox-decided').textContent()).resolves.toContain('admin-ada');
      // The badge learns it from the same re-read, though this tab missed the push.
      await byTestId(p, 'approvals-badge').waitFor({ state: 'detached' });
      await shot(p, 'inbox-06-conflict');
    });
    await p.close();
  });

  it('in 中文 the inbox says how a command ended in Chinese (the agent’s error as written) and shows JSON output as a table', async () => {
    const failed = await memberAsks('clean /mnt/readonly', 'free some space');
    const json = await memberAsks('clean /var/json', 'free some space');
    for (const { id } of [failed, json]) {
      const res = await fetch(`${t.url}/api/approvals/${id}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ approved: true }),
      });
      expect(res.status).toBe(200);
    }
    const p = admin.page;
    await step(p, 'inbox-outcome-zh', async () => {
      await p.bringToFront();
      await p.evaluate(() => localStorage.setItem('ec.lang', 'zh-CN'));
      try {
        await p.goto('/approvals');
        const failedRow = byTestId(p, 'inbox-row', { 'approval-id': String(failed.id), status: 'FAILED' });
        await failedRow.waitFor({ timeout: 20000 });
        await expect(failedRow.getByTestId('inbox-result').textContent()).resolves.toBe('失败：disk is read-only');
        const jsonRow = byTestId(p, 'inbox-row', { 'approval-id': String(json.id), status: 'SUCCEEDED' });
        await jsonRow.waitFor({ timeout: 20000 });
        const cells = await jsonRow
          .getByTestId('inbox-result')
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim())));
        expect(cells).toEqual([
          ['freedBytes', '2 GiB'],
          ['files', '42'],
        ]);
        await shot(p, 'inbox-07-outcome-zh', true);
      } finally {
        await p.evaluate(() => localStorage.setItem('ec.lang', 'en'));
      }
    });
  });

  it('raised no uncaught errors in either browser', () => {
    expect(admin.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });
});
