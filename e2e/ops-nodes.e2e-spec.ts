import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sshdMissing, startSshd, type TestSshd } from '../backend/test/support/sshd';
import { registerAgent, type TestApp } from '../backend/test/support/test-app';
import { connect as connectAgent, startProgram, type Agent } from '../agents/sdk';
import { createOpsRunner } from '../agents/ops-runner/agent';
import { CHROMIUM, chromiumMissing, shot, step } from './support/browser';
import { openSignedIn, startConsoleApp } from './support/console-app';

const missing = chromiumMissing()
  ? `browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  : sshdMissing();
if (missing) console.log(missing);
const suite = missing ? describe.skip : describe;

/**
 * Settings → SSH keys and Nodes in Chromium, against a throwaway sshd: the admin pastes a key, adds a
 * node, tests it, sees the host key the server shows and confirms it; then an approved `run` streams its
 * remote output live into the thread's approval card and the monitor. Screenshots: test-artifacts/console/ops-*.
 */
suite('ops inventory in Chromium (add a node, confirm its host key)', () => {
  let t: TestApp;
  let sshd: TestSshd;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let runner: Agent | undefined;
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    sshd = await startSshd();
    t = await startConsoleApp();
    ({ browser, context, page, errors } = await openSignedIn(t.url));
  }, 90000);

  afterAll(async () => {
    void runner?.close();
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    await sshd?.stop();
  });

  it('adds a key (public half shown), adds a node, tests it and pins the host key it showed', async () => {
    await step(page, 'ops-ssh-key', async () => {
      await page.goto('/settings/ssh-keys');
      await byTestId('key-name').fill('e2e-key');
      await byTestId('key-private').fill(sshd.userKey.privateKey);
      await byTestId('key-add').click();
      await page.locator('[data-testid="key-row"][data-key-name="e2e-key"]').waitFor();
      expect(await byTestId('key-fingerprint').textContent()).toBe(sshd.userKey.fingerprint);
      // The pasted key leaves the form once sent.
      expect(await byTestId('key-private').inputValue()).toBe('');
    });

    await step(page, 'ops-node-added', async () => {
      await byTestId('settings-tab-nodes').click();
      await byTestId('settings-nodes').waitFor();
      await byTestId('node-name').fill('web-1');
      await byTestId('node-host').fill('127.0.0.1');
      await byTestId('node-port').fill(String(sshd.port));
      await byTestId('node-user').fill(sshd.username);
      await byTestId('node-tags').fill('web, test');
      await byTestId('node-add').click();
      await page.locator('[data-testid="node-row"][data-node-name="web-1"]').waitFor();
      expect(await byTestId('node-host-key').textContent()).toContain('not confirmed');
    });

    await step(page, 'ops-node-tested', async () => {
      await byTestId('node-test').click();
      await byTestId('node-seen-key').waitFor();
      expect(await byTestId('node-seen-key').textContent()).toBe(sshd.hostKeyFingerprint);
      expect(await byTestId('node-test-result').textContent()).toMatch(/Connected in \d+ ms/);
    });

    await step(page, 'ops-node-pinned', async () => {
      await byTestId('node-confirm-key').click();
      await page.locator('[data-testid="node-host-key"]', { hasText: 'pinned by admin' }).waitFor();
      expect(await byTestId('node-host-key').textContent()).toContain(sshd.hostKeyFingerprint);
      await shot(page, 'ops-nodes');
    });

    const nodes = (await t.http().get('/api/ops/nodes').set('authorization', `Bearer ${t.adminToken}`)).body as {
      name: string;
      hostKeyFingerprint: string;
    }[];
    expect(nodes).toEqual([expect.objectContaining({ name: 'web-1', hostKeyFingerprint: sshd.hostKeyFingerprint })]);
  });

  it('an approved run on the node streams its output live into the thread and the monitor', async () => {
    const { token } = await registerAgent(t, 'ops-runner');
    runner = connectAgent({ url: t.url, token, name: 'ops-runner' });
    await startProgram(runner, createOpsRunner({ url: t.url, token, progressIntervalMs: 100 }));
    await runner.ready();

    await step(page, 'ops-run-live', async () => {
      await page.goto('/butler');
      await byTestId('butler-home').waitFor();
      await byTestId('chat-input').fill('ops-runner: run web-1 for i in 1 2 3; do echo tick-$i; sleep 1; done');
      await byTestId('chat-send').click();
      await page.waitForURL(/\/butler\/\d+$/);
      const card = byTestId('approval-card');
      await card.and(page.locator('[data-status="PENDING"]')).waitFor();
      await card.getByTestId('approval-approve').click();
      // The first line shows while the command still runs: live, not the result arriving at the end.
      await card.getByTestId('approval-live-output').filter({ hasText: 'tick-1' }).waitFor({ timeout: 10000 });
      expect(await card.getAttribute('data-status')).toBe('RUNNING');
      expect(await card.getByTestId('approval-live-output').textContent()).not.toContain('tick-3');
      await shot(page, 'ops-run-live');
      await card.and(page.locator('[data-status="SUCCEEDED"]')).waitFor({ timeout: 15000 });
      expect(await card.getByTestId('approval-result').textContent()).toMatch(/web-1 · exit 0[\s\S]*tick-3/);
    });

    await step(page, 'ops-run-monitor', async () => {
      await byTestId('tab-monitor').click();
      await byTestId('monitor-page').waitFor();
      await page.locator('[data-testid="monitor-agent"][data-agent-name="ops-runner"]').click();
      await page
        .locator('[data-testid="monitor-event"][data-direction="FROM_AGENT"]')
        .filter({ hasText: 'progress: tick-2' })
        .waitFor();
    });
  });

  // The settings page only: the shell's own controls are the console suite's business.
  it('the Nodes and SSH keys pages pass axe (no serious or critical violations), light and dark', async () => {
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const path of ['/settings/nodes', '/settings/ssh-keys']) {
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(path);
        await page.locator('[data-testid="settings-page"] section.panel').first().waitFor();
        // Evaluated over the devtools protocol: the console's CSP (script-src 'self') rightly refuses an inline tag.
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          const result = await (
            window as unknown as {
              axe: {
                run(
                  ctx: unknown,
                  opts: unknown,
                ): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
              };
            }
          ).axe.run({ include: [['[data-testid="settings-page"]']] }, { resultTypes: ['violations'] });
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`);
        });
        expect([path, theme, violations]).toEqual([path, theme, []]);
      }
    }
  });

  it('raised no uncaught errors in the browser', () => {
    expect(errors).toEqual([]);
  });
});
