import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { ApprovalDto } from '@echocenter/contracts';
import { dbTime } from '../backend/src/common/db-time';
import { call, closeAll, connect, type ClientSocket } from '../backend/test/support/sockets';
import { createUser, registerAgent, startTestApp, type TestApp } from '../backend/test/support/test-app';
import {
  CHROMIUM,
  CONSOLE_DIR,
  TOUR_PREFIX,
  chromiumMissing,
  launchChromium,
  resetArtifacts,
  shot,
} from './support/browser';
import {
  PHONE,
  axeViolations,
  crawlRoutes,
  describeViolations,
  englishLeaks,
  open,
  tourContext,
  type Lang,
  type Theme,
} from './support/tour';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** "/settings/users" → "settings-users": screenshot names. */
const slug = (path: string) => path.replace(/^\//, '').replace(/[^\w-]+/g, '-') || 'home';
/** "2026-12-05T21:13:30.095Z": never in a sentence people read. */
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
// What deciding a request looks like, in the thread's card and in the inbox.
const DECIDE = [
  'approval-approve',
  'approval-reject',
  'approval-edit',
  'inbox-approve',
  'inbox-reject',
  'inbox-edit',
  'inbox-always',
];

/**
 * Every page of the console as an admin sees it (found by following the console's own links, so new pages are
 * covered once something links to them), in English and 中文, light and dark, on a desktop and on a phone:
 * axe-core finds no serious or critical WCAG 2.1 AA problem, no English catalog string shows in Chinese, no
 * script error happens. Screenshots of each go to test-artifacts/console/tour-*.png.
 */
suite('console tour: every page, both languages, both themes, desktop and phone', () => {
  let t: TestApp;
  let browser: Browser;
  let session: unknown;
  let memberSession: unknown;
  let memberThread: number;
  let memberApproval: number;
  let zhThread: number;
  let jsonThread: number;
  let routes: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html')))
      throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    resetArtifacts(TOUR_PREFIX);
    t = await startTestApp({ FRONTEND_DIR: CONSOLE_DIR });
    const me = await t.http().get('/api/auth/me').set('authorization', `Bearer ${t.adminToken}`);
    session = { token: t.adminToken, user: me.body, expiresAt: Date.now() + 3600_000 };
    // Something on every page: an online agent with a card and a few logs, a Butler thread.
    const agent = await registerAgent(t, 'Storage-Custodian');
    const socket = await connect(t.url, agent.token);
    await call(socket, 'agent:hello', {
      commands: [
        { name: 'get_status', readOnly: true, description: 'disk usage' },
        { name: 'cleanup_tmp', args: '<dir>' },
      ],
    });
    for (const [level, content] of [
      ['INFO', 'disk at 40%'],
      ['WARNING', 'tmp folder above 2 GiB'],
      ['ERROR', 'could not read /data/x: permission denied'],
      ['SUCCESS', 'cleanup finished'],
    ]) {
      await call(socket, 'log:report', { level, content });
    }
    await registerAgent(t, 'Weather-Sentinel');
    // A thread where the (offline) Butler asked for an approval: the card in the thread and the inbox row.
    const thread = await t
      .http()
      .post('/api/conversations')
      .set('authorization', `Bearer ${t.adminToken}`)
      .send({ title: 'Disk space' });
    const butler = await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`);
    const human = await connect(t.url, t.adminToken);
    await call(human, 'chat:send', {
      targetId: butler.body.id,
      conversationId: thread.body.id,
      text: 'Storage-Custodian: cleanup_tmp /tmp',
      locale: 'en',
    });
    await requested(thread.body.id, 'cleanup_tmp /tmp');
    // The agent answers in JSON: the approval card shows it as the chat would (a key/value table).
    socket.on('command:run', (run: { commandId: number }) => {
      void call(socket, 'command:result', {
        commandId: run.commandId,
        ok: true,
        result: JSON.stringify({ freedBytes: 2147483648, files: 42, dir: '/tmp' }),
      });
    });
    jsonThread = await newThread('JSON', t.adminToken);
    await send(
      human,
      butler.body.id,
      jsonThread,
      'Storage-Custodian: cleanup_tmp {"dir": "/tmp", "olderThanDays": 7}',
      'en',
    );
    await decide(await requested(jsonThread, 'cleanup_tmp {"dir": "/tmp", "olderThanDays": 7}'), { approved: true });
    // A 中文 thread: one request rejected, one left to expire. The Butler tells both in Chinese.
    zhThread = await newThread('磁盘清理', t.adminToken);
    await send(human, butler.body.id, zhThread, '让 Storage-Custodian 执行 cleanup_tmp /var/tmp', 'zh-CN');
    await decide(await requested(zhThread, 'cleanup_tmp /var/tmp'), { approved: false, reason: '不是现在' });
    await send(human, butler.body.id, zhThread, '让 Storage-Custodian 执行 cleanup_tmp /var/cache', 'zh-CN');
    const lapsing = await requested(zhThread, 'cleanup_tmp /var/cache');
    const db = t.app.get(DataSource);
    await db.query('UPDATE approvals SET expires_at = ? WHERE id = ?', [
      dbTime(db, new Date(Date.now() - 1000)),
      lapsing,
    ]);
    // A MEMBER's own request, which they may not decide (the default): they see its status, never the buttons.
    const member = await createUser(t, 'operator-mia', 'MEMBER');
    const memberMe = await t.http().get('/api/auth/me').set('authorization', `Bearer ${member.token}`);
    memberSession = { token: member.token, user: memberMe.body, expiresAt: Date.now() + 3600_000 };
    const mia = await connect(t.url, member.token);
    memberThread = await newThread('Mia asks', member.token);
    await send(mia, butler.body.id, memberThread, 'Storage-Custodian: cleanup_tmp /home/mia', 'en');
    memberApproval = await requested(memberThread, 'cleanup_tmp /home/mia');
    await until(async () => (await approval(lapsing)).status === 'EXPIRED', 'the sweep to expire the 中文 request');
    browser = await launchChromium();
  }, 90000);

  async function newThread(title: string, token: string): Promise<number> {
    return (await t.http().post('/api/conversations').set('authorization', `Bearer ${token}`).send({ title })).body
      .id as number;
  }
  async function send(
    socket: ClientSocket,
    butler: number,
    conversationId: number,
    text: string,
    locale: string,
  ): Promise<void> {
    const ack = await call(socket, 'chat:send', { targetId: butler, conversationId, text, locale });
    if (!ack.ok) throw new Error(`chat:send failed: ${JSON.stringify(ack)}`);
  }
  async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10000;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const approval = async (id: number): Promise<ApprovalDto> =>
    (await t.http().get(`/api/approvals/${id}`).set('authorization', `Bearer ${t.adminToken}`)).body;
  /** The pending approval the (offline) Butler asked for in a thread, by its command. */
  async function requested(conversationId: number, command: string): Promise<number> {
    let id = 0;
    await until(async () => {
      const res = await t.http().get('/api/approvals?status=PENDING').set('authorization', `Bearer ${t.adminToken}`);
      id =
        (res.body.items as ApprovalDto[]).find((a) => a.conversationId === conversationId && a.command === command)
          ?.id ?? 0;
      return id > 0;
    }, `an approval for "${command}"`);
    return id;
  }
  async function decide(id: number, body: Record<string, unknown>): Promise<void> {
    const res = await t
      .http()
      .post(`/api/approvals/${id}/decision`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .send(body);
    if (res.status !== 200) throw new Error(`decision failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    closeAll();
    await t?.close();
  });

  it("finds the pages by following the console's links (dashboard, agents, Butler, approvals, every settings tab)", async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session });
    contexts.push(context);
    routes = await crawlRoutes(page);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/dashboard',
        '/agents',
        '/butler',
        '/approvals',
        '/settings/users',
        '/settings/agents',
        '/settings/system',
        '/settings/audit',
      ]),
    );
  }, 120000);

  const combos: Array<[Lang, Theme]> = [
    ['en', 'light'],
    ['en', 'dark'],
    ['zh-CN', 'light'],
    ['zh-CN', 'dark'],
  ];
  for (const [lang, theme] of combos) {
    it(`${lang} ${theme}: no serious or critical axe finding${lang === 'zh-CN' ? ', no English catalog string' : ''}, no script error`, async () => {
      const { context, page, errors } = await tourContext(browser, t.url, { lang, theme, session });
      contexts.push(context);
      const problems: string[] = [];
      for (const route of routes) {
        await open(page, route);
        await shot(page, `tour-${slug(route)}-${lang}-${theme}`);
        problems.push(...describeViolations(`${route} ${lang} ${theme}`, await axeViolations(page)));
        if (lang === 'zh-CN')
          problems.push(...(await englishLeaks(page)).map((text) => `${route}: English text "${text}"`));
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    }, 180000);
  }

  it("says what cannot answer: an offline agent's card and chat say so; the Butler home offers phrases its brain understands; a token hint shows once", async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session });
    contexts.push(context);
    await open(page, '/dashboard');
    await expect(
      page
        .locator('[data-testid="fleet-card"][data-agent-name="Weather-Sentinel"] [data-testid="fleet-chat"]')
        .textContent(),
    ).resolves.toContain('offline');
    await expect(
      page
        .locator('[data-testid="fleet-card"][data-agent-name="Storage-Custodian"] [data-testid="fleet-chat"]')
        .textContent(),
    ).resolves.not.toContain('offline');
    await page
      .locator('[data-testid="fleet-card"][data-agent-name="Weather-Sentinel"] [data-testid="fleet-chat"]')
      .click();
    await expect(page.getByTestId('agent-offline-note').textContent()).resolves.toContain(
      'Weather-Sentinel is offline',
    );
    await open(page, '/butler');
    await expect(page.getByTestId('butler-examples').textContent()).resolves.toMatch(
      /list agents.*status of (Storage-Custodian|Weather-Sentinel).*recent errors/,
    );
    await open(page, '/settings/agents');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/ec_…\w{4}/);
    expect(text).not.toMatch(/…ec_/);
    // A new agent's token comes with how to connect it: this hub's address and the token, for Node and Python.
    await page.getByTestId('agent-new-name').fill('Tour-Bot');
    await page.getByTestId('agent-register').click();
    const token = (await page.getByTestId('token-value').textContent())!.trim();
    await expect(page.getByTestId('token-connect-node').textContent()).resolves.toContain(
      `ECHO_URL=${t.url} ECHO_TOKEN=${token}`,
    );
    await expect(page.getByTestId('token-connect-python').textContent()).resolves.toContain(
      `sio.connect("${t.url}", auth={"token": "${token}"}`,
    );
    const reveal = await axeViolations(page);
    expect(describeViolations('/settings/agents (token shown)', reveal)).toEqual([]);
    const zh = await tourContext(browser, t.url, { lang: 'zh-CN', theme: 'dark', session });
    contexts.push(zh.context);
    await open(zh.page, '/butler');
    await expect(zh.page.getByTestId('butler-examples').textContent()).resolves.toContain('列出智能体');
  }, 60000);

  for (const theme of ['light', 'dark'] as const) {
    it(`on a phone (390×844), ${theme}: no serious or critical axe finding, the header takes at most a sixth of the screen, nothing is wider than the screen`, async () => {
      const { context, page, errors } = await tourContext(browser, t.url, {
        lang: 'en',
        theme,
        session,
        viewport: PHONE,
      });
      contexts.push(context);
      const problems: string[] = [];
      for (const route of routes) {
        await open(page, route);
        await shot(page, `tour-phone-${slug(route)}-${theme}`);
        problems.push(...describeViolations(`${route} phone ${theme}`, await axeViolations(page)));
        const header = await page.locator('header.topbar').boundingBox();
        if (!header || header.height > PHONE.height / 6) problems.push(`${route}: header is ${header?.height} px tall`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) problems.push(`${route}: ${overflow} px wider than the screen`);
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    }, 180000);
  }

  it('on a phone: the live log shows time, level, agent and the message, and a tap opens the whole message', async () => {
    const { context, page } = await tourContext(browser, t.url, {
      lang: 'en',
      theme: 'light',
      session,
      viewport: PHONE,
    });
    contexts.push(context);
    await open(page, '/dashboard');
    const row = page.getByTestId('log-row').filter({ hasText: 'permission denied' });
    for (const part of ['time', '.lvl', '.agent', '.content'])
      await expect(row.locator(part).isVisible()).resolves.toBe(true);
    await row.click();
    await expect(page.getByTestId('log-expanded').textContent()).resolves.toContain(
      'could not read /data/x: permission denied',
    );
    await shot(page, 'tour-phone-dashboard-log-expanded');
  }, 120000);

  it('中文: a rejected and an expired request are told in Chinese in the thread, and no Butler sentence shows a raw timestamp', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { context, page, errors } = await tourContext(browser, t.url, { lang: 'zh-CN', theme, session });
      contexts.push(context);
      await open(page, `/butler/${zhThread}`);
      const said = page.getByTestId('chat-message');
      await said.filter({ hasText: '已被 admin 拒绝（理由：不是现在）。没有执行任何操作。' }).waitFor();
      await said.filter({ hasText: '无人决定，已过期。没有执行任何操作。' }).waitFor();
      // Each request was announced with its deadline in words, not as a timestamp.
      await expect(
        said.filter({ hasText: /已发起审批 #\d+：管理员批准后执行（\d+ 分钟后过期）/ }).count(),
      ).resolves.toBe(2);
      await expect(
        page
          .locator('[data-testid="approval-card"][data-status="REJECTED"] [data-testid="approval-heading"]')
          .textContent(),
      ).resolves.toBe('请求已拒绝');
      await expect(
        page
          .locator('[data-testid="approval-card"][data-status="EXPIRED"] [data-testid="approval-heading"]')
          .textContent(),
      ).resolves.toBe('请求已过期');
      const texts = await said.allInnerTexts();
      expect(texts.filter((text) => ISO_TIME.test(text))).toEqual([]);
      expect(await englishLeaks(page)).toEqual([]);
      expect(describeViolations(`/butler/${zhThread} zh-CN ${theme}`, await axeViolations(page))).toEqual([]);
      await shot(page, `tour-butler-thread-zh-rejected-expired-${theme}`);
      expect(errors).toEqual([]);
    }
  }, 60000);

  it('JSON in the approval card reads like the chat: arguments and output as key/value tables', async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session });
    contexts.push(context);
    await open(page, `/butler/${jsonThread}`);
    const card = page.locator('[data-testid="approval-card"][data-status="SUCCEEDED"]');
    await card.waitFor();
    const rows = (testId: string) =>
      card
        .getByTestId(testId)
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim())));
    await expect(card.getByTestId('approval-command').textContent()).resolves.toBe('cleanup_tmp');
    await expect(rows('approval-args')).resolves.toEqual([
      ['dir', '/tmp'],
      ['olderThanDays', '7'],
    ]);
    await expect(rows('approval-result')).resolves.toEqual([
      ['freedBytes', '2 GiB'],
      ['files', '42'],
      ['dir', '/tmp'],
    ]);
    await shot(page, 'tour-butler-approval-json');
    const { page: phone } = await tourContext(browser, t.url, {
      lang: 'zh-CN',
      theme: 'dark',
      session,
      viewport: PHONE,
    }).then((c) => (contexts.push(c.context), c));
    await open(phone, `/butler/${jsonThread}`);
    await phone
      .locator('[data-testid="approval-card"][data-status="SUCCEEDED"] [data-testid="approval-result"] table')
      .waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    await shot(phone, 'tour-phone-butler-approval-json-zh-CN-dark');
  }, 60000);

  // One theme: the admin walks above check both themes on the same pages; the member's own difference is the
  // missing decide buttons, which do not depend on the theme (dark: the lower-contrast one).
  for (const theme of ['dark'] as const) {
    it(`a MEMBER (${theme}): every page they reach, no Approve/Reject/Edit on a request they cannot decide, its status instead; no serious axe finding`, async () => {
      const { context, page, errors } = await tourContext(browser, t.url, {
        lang: 'en',
        theme,
        session: memberSession,
      });
      contexts.push(context);
      const memberRoutes = await crawlRoutes(page);
      expect(memberRoutes).toEqual(expect.arrayContaining(['/dashboard', '/butler', '/approvals']));
      const problems: string[] = [];
      for (const route of [...new Set([...memberRoutes, `/butler/${memberThread}`])]) {
        await open(page, route);
        await shot(page, `tour-member-${slug(route.replace(/\/\d+$/, '/thread'))}-${theme}`);
        problems.push(...describeViolations(`member ${route} ${theme}`, await axeViolations(page)));
        for (const id of DECIDE) {
          const shown = await page.getByTestId(id).count();
          if (shown) problems.push(`member ${route}: ${shown} × ${id}`);
        }
      }
      expect(problems).toEqual([]);
      // Their own request, in their thread and in the inbox: its status, and that an admin decides it.
      await open(page, `/butler/${memberThread}`);
      const card = page.locator(`[data-testid="approval-card"][data-approval-id="${memberApproval}"]`);
      await expect(card.getByTestId('approval-status').textContent()).resolves.toMatch(/waiting/i);
      await expect(card.getByTestId('approval-waiting').isVisible()).resolves.toBe(true);
      await open(page, '/approvals');
      const row = page.locator(`[data-testid="inbox-row"][data-approval-id="${memberApproval}"]`);
      await expect(row.getByTestId('inbox-status').isVisible()).resolves.toBe(true);
      await expect(row.getByTestId('inbox-read-only').isVisible()).resolves.toBe(true);
      expect(errors).toEqual([]);
    }, 180000);
  }
});
