import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { call, closeAll, connect } from '../backend/test/support/sockets';
import { registerAgent, startTestApp, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, CONSOLE_DIR, TOUR_PREFIX, chromiumMissing, launchChromium, resetArtifacts, shot } from './support/browser';
import { PHONE, axeViolations, crawlRoutes, describeViolations, englishLeaks, open, tourContext, type Lang, type Theme } from './support/tour';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing()) console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** "/settings/users" → "settings-users": screenshot names. */
const slug = (path: string) => path.replace(/^\//, '').replace(/[^\w-]+/g, '-') || 'home';

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
  let routes: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`no console build in ${CONSOLE_DIR}: run npx ng build frontend (npm test builds it)`);
    resetArtifacts(TOUR_PREFIX);
    t = await startTestApp({ FRONTEND_DIR: CONSOLE_DIR });
    const me = await t.http().get('/api/auth/me').set('authorization', `Bearer ${t.adminToken}`);
    session = { token: t.adminToken, user: me.body, expiresAt: Date.now() + 3600_000 };
    // Something on every page: an online agent with a card and a few logs, a Butler thread.
    const agent = await registerAgent(t, 'Storage-Custodian');
    const socket = await connect(t.url, agent.token);
    await call(socket, 'agent:hello', { commands: [{ name: 'get_status', readOnly: true, description: 'disk usage' }, { name: 'cleanup_tmp', args: '<dir>' }] });
    for (const [level, content] of [['INFO', 'disk at 40%'], ['WARNING', 'tmp folder above 2 GiB'], ['ERROR', 'could not read /data/x: permission denied'], ['SUCCESS', 'cleanup finished']]) {
      await call(socket, 'log:report', { level, content });
    }
    await registerAgent(t, 'Weather-Sentinel');
    // A thread where the (offline) Butler asked for an approval: the card in the thread and the inbox row.
    const thread = await t.http().post('/api/conversations').set('authorization', `Bearer ${t.adminToken}`).send({ title: 'Disk space' });
    const butler = await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`);
    const human = await connect(t.url, t.adminToken);
    await call(human, 'chat:send', { targetId: butler.body.id, conversationId: thread.body.id, text: 'Storage-Custodian: cleanup_tmp /tmp', locale: 'en' });
    const deadline = Date.now() + 10000;
    while (!(await t.http().get('/api/approvals?status=PENDING').set('authorization', `Bearer ${t.adminToken}`)).body.items.length) {
      if (Date.now() > deadline) throw new Error('the offline Butler did not ask for an approval');
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchChromium();
  }, 90000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    closeAll();
    await t?.close();
  });

  it('finds the pages by following the console\'s links (dashboard, agents, Butler, approvals, every settings tab)', async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session });
    contexts.push(context);
    routes = await crawlRoutes(page);
    expect(routes).toEqual(expect.arrayContaining(['/dashboard', '/agents', '/butler', '/approvals', '/settings/users', '/settings/agents', '/settings/system', '/settings/audit']));
  }, 120000);

  const combos: Array<[Lang, Theme]> = [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']];
  for (const [lang, theme] of combos) {
    it(`${lang} ${theme}: no serious or critical axe finding${lang === 'zh-CN' ? ', no English catalog string' : ''}, no script error`, async () => {
      const { context, page, errors } = await tourContext(browser, t.url, { lang, theme, session });
      contexts.push(context);
      const problems: string[] = [];
      for (const route of routes) {
        await open(page, route);
        await shot(page, `tour-${slug(route)}-${lang}-${theme}`);
        problems.push(...describeViolations(`${route} ${lang} ${theme}`, await axeViolations(page)));
        if (lang === 'zh-CN') problems.push(...(await englishLeaks(page)).map((text) => `${route}: English text "${text}"`));
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    }, 180000);
  }

  it('says what cannot answer: an offline agent\'s card and chat say so; the Butler home offers phrases its brain understands; a token hint shows once', async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session });
    contexts.push(context);
    await open(page, '/dashboard');
    await expect(page.locator('[data-testid="fleet-card"][data-agent-name="Weather-Sentinel"] [data-testid="fleet-chat"]').textContent()).resolves.toContain('offline');
    await expect(page.locator('[data-testid="fleet-card"][data-agent-name="Storage-Custodian"] [data-testid="fleet-chat"]').textContent()).resolves.not.toContain('offline');
    await page.locator('[data-testid="fleet-card"][data-agent-name="Weather-Sentinel"] [data-testid="fleet-chat"]').click();
    await expect(page.getByTestId('agent-offline-note').textContent()).resolves.toContain('Weather-Sentinel is offline');
    await open(page, '/butler');
    await expect(page.getByTestId('butler-examples').textContent()).resolves.toMatch(/list agents.*status of (Storage-Custodian|Weather-Sentinel).*recent errors/);
    await open(page, '/settings/agents');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/ec_…\w{4}/);
    expect(text).not.toMatch(/…ec_/);
    // A new agent's token comes with how to connect it: this hub's address and the token, for Node and Python.
    await page.getByTestId('agent-new-name').fill('Tour-Bot');
    await page.getByTestId('agent-register').click();
    const token = (await page.getByTestId('token-value').textContent())!.trim();
    await expect(page.getByTestId('token-connect-node').textContent()).resolves.toContain(`ECHO_URL=${t.url} ECHO_TOKEN=${token}`);
    await expect(page.getByTestId('token-connect-python').textContent()).resolves.toContain(`sio.connect("${t.url}", auth={"token": "${token}"}`);
    const reveal = await axeViolations(page);
    expect(describeViolations('/settings/agents (token shown)', reveal)).toEqual([]);
    const zh = await tourContext(browser, t.url, { lang: 'zh-CN', theme: 'dark', session });
    contexts.push(zh.context);
    await open(zh.page, '/butler');
    await expect(zh.page.getByTestId('butler-examples').textContent()).resolves.toContain('列出智能体');
  }, 60000);

  it('on a phone (390×844): the header takes at most a sixth of the screen, nothing is wider than the screen', async () => {
    const { context, page } = await tourContext(browser, t.url, { lang: 'en', theme: 'light', session, viewport: PHONE });
    contexts.push(context);
    const problems: string[] = [];
    for (const route of routes) {
      await open(page, route);
      await shot(page, `tour-phone-${slug(route)}`);
      const header = await page.locator('header.topbar').boundingBox();
      if (!header || header.height > PHONE.height / 6) problems.push(`${route}: header is ${header?.height} px tall`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) problems.push(`${route}: ${overflow} px wider than the screen`);
    }
    expect(problems).toEqual([]);
    // The live log on a phone: time, level, agent and the message, and a tap opens the whole message.
    await open(page, '/dashboard');
    const row = page.getByTestId('log-row').filter({ hasText: 'permission denied' });
    for (const part of ['time', '.lvl', '.agent', '.content']) await expect(row.locator(part).isVisible()).resolves.toBe(true);
    await row.click();
    await expect(page.getByTestId('log-expanded').textContent()).resolves.toContain('could not read /data/x: permission denied');
    await shot(page, 'tour-phone-dashboard-log-expanded');
  }, 120000);
});
