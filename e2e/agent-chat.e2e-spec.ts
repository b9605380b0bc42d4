import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { connect as connectAgent, startProgram, type Agent, type StopFn } from '../agents/sdk';
import { createStorageCustodian } from '../agents/storage-custodian/agent';
import type { ApprovalRequestedEvent } from '@echocenter/contracts';
import { connect as connectSocket, startAgent } from '../backend/test/fakes/butler-kit';
import { confirmReadOnly, createUser, registerAgent, type TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, chromiumMissing, newUserPage, shot, step } from './support/browser';
import { openSignedIn, signIn, startConsoleApp } from './support/console-app';

const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * Chatting with agents in Chromium (issue 20): the real Storage-Custodian program (SDK, default chat handler,
 * a throwaway folder) answers help, get_status with its counts, refuses a path outside its folder and a
 * side-effecting command; the offline Butler asks Weather-Sentinel a question in words and shows its answer.
 * Screenshots land in test-artifacts/console/ (agent-chat-*).
 */
suite('chatting with agents in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let folder: string;
  const agents: Agent[] = [];
  let stopCustodian: StopFn | undefined;

  const byTestId = (p: Page, id: string, attrs: Record<string, string> = {}) =>
    p.locator(
      `[data-testid="${id}"]${Object.entries(attrs)
        .map(([k, v]) => `[data-${k}="${v}"]`)
        .join('')}`,
    );

  beforeAll(async () => {
    t = await startConsoleApp({ AGENT_QUESTION_TIMEOUT_MS: '5000' });
    folder = mkdtempSync(join(tmpdir(), 'custodian-'));
    const custodian = await registerAgent(t, 'Storage-Custodian');
    const agent = connectAgent({ url: t.url, token: custodian.token, name: 'Storage-Custodian' });
    agents.push(agent);
    stopCustodian = await startProgram(agent, createStorageCustodian({ folder, statusIntervalMs: 60_000 }));
    await agent.ready();
    for (const command of ['get_status', 'get_file']) await confirmReadOnly(t, custodian.id, command);

    const weather = await registerAgent(t, 'Weather-Sentinel');
    const sentinel = connectAgent({ url: t.url, token: weather.token, name: 'Weather-Sentinel' })
      .hello({ description: 'Weather station', commands: [] })
      .onChat((text) => (/rain/i.test(text) ? 'Light rain from 15:00, about 2 mm.' : 'Ask me about the weather.'));
    agents.push(sentinel);
    await sentinel.ready();

    ({ browser, context, page, errors } = await openSignedIn(t.url));
  }, 90000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await stopCustodian?.();
    await Promise.all(agents.map((a) => a.close({ timeoutMs: 200 })));
    await t?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /**
   * Types a line into the open chat and resolves with the text of the agent's next stored answer: a stored
   * message (it has an id) that was not on the page before the line was sent. Counting bubbles is not enough:
   * an optimistic bubble is replaced by its stored copy, so the count can stand still while messages arrive.
   */
  async function say(text: string, expected: string): Promise<string> {
    const storedIds = () =>
      page
        .locator('[data-testid="chat-message"][data-message-id]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')));
    const before = new Set(await storedIds());
    await byTestId(page, 'chat-input').fill(text);
    await byTestId(page, 'chat-input').press('Enter');
    const answers = byTestId(page, 'chat-message').filter({ hasText: expected }).and(page.locator('[data-message-id]'));
    await answers.last().waitFor();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ids = await answers.evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')));
      const fresh = ids.filter((id) => !before.has(id));
      if (fresh.length > 0) {
        return (
          (await page
            .locator(`[data-testid="chat-message"][data-message-id="${fresh[fresh.length - 1]}"]`)
            .textContent()) ?? ''
        );
      }
      if (Date.now() > deadline) throw new Error(`no new stored answer containing "${expected}" after "${text}"`);
      await page.waitForTimeout(100);
    }
  }

  it('Storage-Custodian answers help, get_status with its counts, and refuses a path outside its folder and cleanup_tmp', async () => {
    await step(page, 'agent-chat-custodian', async () => {
      await byTestId(page, 'nav-agents').click();
      await byTestId(page, 'agent-item', { 'agent-name': 'Storage-Custodian' }).click();
      await byTestId(page, 'agent-chat-header').filter({ hasText: 'Storage-Custodian' }).waitFor();

      // The console renders the list as a list: the text has no leading dashes.
      const help = await say('help', 'get_file <name>');
      expect(help).toContain('get_status — File count, bytes used against the quota, free disk. [read-only]');
      expect(help).toContain('cleanup_tmp — Deletes *.tmp files and everything under tmp/. [needs approval]');

      // A flat JSON answer is shown as a key/value table (issue 27): its "files" row says 8.
      await byTestId(page, 'chat-input').fill('get_status');
      await byTestId(page, 'chat-input').press('Enter');
      const filesRow = page
        .locator('[data-testid="chat-message"][data-message-id] tr')
        .filter({ has: page.locator('td', { hasText: /^\s*files\s*$/ }) })
        .last();
      await filesRow.waitFor();
      expect((await filesRow.locator('td').nth(1).textContent())?.trim()).toBe('8');

      const outside = await say('get_file ../../etc/passwd', 'Sorry, that failed');
      expect(outside).toContain('outside the storage folder');

      const refused = await say('cleanup_tmp', 'Ask the Butler');
      expect(refused).toContain('"cleanup_tmp" changes things, so I only run it as an approved request');
      await shot(page, 'agent-chat-01-custodian', true);
    });
  });

  it('the Butler asks Weather-Sentinel a question in words and shows its answer as a quote', async () => {
    await step(page, 'agent-chat-butler-asks', async () => {
      await byTestId(page, 'nav-butler').click();
      await byTestId(page, 'thread-new').click();
      await page.waitForURL(/\/butler\/\d+$/);
      const answer = await say('ask Weather-Sentinel: is it going to rain?', 'Weather-Sentinel answered');
      expect(answer).toContain('Light rain from 15:00, about 2 mm.');
      await shot(page, 'agent-chat-02-butler-asks');
    });
    expect(errors).toEqual([]);
  });

  it('a member cancels their own approved command while it waits for its offline agent', async () => {
    // An agent that said hello once (so the hub knows its card) and went offline.
    const nap = await startAgent(
      t,
      'Nap-Agent',
      [{ name: 'clean', args: '<path>', description: 'deletes files' }],
      () => null,
    );
    nap.probe.close();
    const { password } = await createUser(t, 'operator-mia', 'MEMBER');
    const admin = await connectSocket(t, t.adminToken);
    const member = await newUserPage(browser, t.url);
    const p = member.page;
    try {
      await step(p, 'agent-chat-member-cancels', async () => {
        await signIn(p, { username: 'operator-mia', password });
        await byTestId(p, 'nav-butler').click();
        await byTestId(p, 'thread-new').click();
        await p.waitForURL(/\/butler\/\d+$/);
        await byTestId(p, 'chat-input').fill('ask Nap-Agent to clean /tmp/old');
        await byTestId(p, 'chat-input').press('Enter');
        const requested = await admin.waitFor<ApprovalRequestedEvent>(
          'approval:requested',
          (a) => a.agentName === 'Nap-Agent',
        );
        await t
          .http()
          .post(`/api/approvals/${requested.id}/decision`)
          .set('authorization', `Bearer ${t.adminToken}`)
          .send({ approved: true })
          .expect(200);
        const card = byTestId(p, 'approval-card', { 'approval-id': String(requested.id) });
        await byTestId(p, 'chat-message').filter({ hasText: 'waiting for Nap-Agent to come online' }).waitFor();
        await card.and(p.locator('[data-status="RUNNING"]')).getByTestId('approval-cancel').click();
        await card.and(p.locator('[data-status="FAILED"]')).waitFor();
        // The thread says how it ended; the reason is shown once, in the card's result (issue 27).
        await byTestId(p, 'chat-message').filter({ hasText: 'did not complete' }).waitFor();
        expect(await card.getByTestId('approval-result').textContent()).toContain(
          'cancelled by operator-mia from the approval card',
        );
        await shot(p, 'agent-chat-03-member-cancels');
      });
      expect(member.errors).toEqual([]);
      expect(nap.runs).toEqual([]);
    } finally {
      admin.close();
      await member.context.close();
    }
  });
});
