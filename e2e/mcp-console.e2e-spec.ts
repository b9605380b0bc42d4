import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { McpBridgeLauncher } from '../backend/src/mcp-servers/mcp-bridge-launcher';
import type { TestApp } from '../backend/test/support/test-app';
import { CHROMIUM, ROOT, chromiumMissing, shot, step } from './support/browser';
import { openSignedIn, startConsoleApp } from './support/console-app';

const FILESYSTEM = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
const suite = chromiumMissing() ? describe.skip : describe;
if (chromiumMissing())
  console.log(`browser e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/**
 * Issue 23 in Chromium: an admin creates a personal token (shown once) and an assistant uses it at /mcp, then
 * revokes it; and adds the published filesystem MCP server with the "Add MCP server" form, whose tools
 * appear as the new agent's card with their schemas. Screenshots land in test-artifacts/console/ (mcp-*).
 */
suite('personal tokens and Add MCP server in the console (issue 23)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let folder: string;
  const byTestId = (id: string, attrs: Record<string, string> = {}) =>
    page.locator(
      `[data-testid="${id}"]${Object.entries(attrs)
        .map(([k, v]) => `[data-${k}="${v}"]`)
        .join('')}`,
    );

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'echocenter-mcp-console-'));
    writeFileSync(join(folder, 'readme.txt'), 'shared\n');
    t = await startConsoleApp();
    t.app.get(McpBridgeLauncher).enable(t.url, {
      launcherPath: join(ROOT, 'agents', 'fleet', 'launcher.ts'),
      cliPath: join(ROOT, 'agents', 'cli.ts'),
      execArgv: ['--import', 'tsx'],
    });
    ({ browser, context, page, errors } = await openSignedIn(t.url));
  }, 90000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('creates a token shown once, an MCP client uses it, the page shows its last use, and revoking ends it', async () => {
    let token = '';
    await step(page, 'mcp-token-create', async () => {
      await byTestId('nav-tokens').click();
      await byTestId('tokens-page').waitFor();
      await byTestId('token-new-name').fill('Claude Desktop');
      await byTestId('token-new-scope').selectOption('operate');
      await byTestId('token-create').click();
      token = (await byTestId('token-value').textContent())!.trim();
      expect(token).toMatch(/^ecp_/);
      await shot(page, 'mcp-token-created');
    });
    const client = new Client({ name: 'assistant', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    expect((await client.listTools()).tools.map((x) => x.name)).toContain('command_agent');
    await client.close();

    await step(page, 'mcp-token-list', async () => {
      // A personal token is no agent's: no "how to connect an agent" snippets beside it.
      expect(await byTestId('token-connect').count()).toBe(0);
      await byTestId('token-dismiss').click();
      await byTestId('token-value').waitFor({ state: 'detached' });
      await page.reload();
      const row = byTestId('token-row', { 'token-name': 'Claude Desktop' });
      await row.waitFor();
      expect(await row.locator('[data-testid="token-scope"]').textContent()).toContain('operate');
      expect(await row.locator('[data-testid="token-last-used"]').textContent()).not.toContain('never');
      expect(await page.content()).not.toContain(token);
      await shot(page, 'mcp-tokens');
      await row.locator('[data-testid="token-revoke"]').click();
      await row.locator('[data-testid="token-revoke-confirm"]').click();
      await row.waitFor({ state: 'detached' });
    });
    expect((await t.http().get('/api/agents').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('adds the filesystem MCP server with the form; its tools become the agent card, with schemas', async () => {
    await step(page, 'mcp-add-server', async () => {
      await page.goto('/settings/agents');
      await byTestId('mcp-name').fill('Files');
      await byTestId('mcp-command').fill(process.execPath);
      await byTestId('mcp-args').fill(`${FILESYSTEM}\n${folder}`);
      await byTestId('mcp-env').fill('NOT A PAIR');
      await byTestId('mcp-add').click();
      expect(await byTestId('mcp-error').textContent()).toContain('NOT A PAIR');
      await byTestId('mcp-env').fill('SHARE_NOTE=hello');
      await byTestId('mcp-add').click();
      const row = byTestId('mcp-server-row', { 'server-name': 'Files' });
      await row.waitFor();
      expect(await row.textContent()).toContain('SHARE_NOTE');
      expect(await byTestId('mcp-env').inputValue()).toBe('');
    });
    await step(page, 'mcp-server-card', async () => {
      const agentRow = byTestId('agent-row', { 'agent-name': 'Files' });
      // The bridge connects and publishes its card; the list follows live.
      await agentRow.locator('.dot.online').waitFor({ timeout: 30000 });
      await agentRow.locator('[data-testid="agent-show-card"]').click();
      const read = agentRow.locator('[data-testid="command-policy"][data-command="read_text_file"]');
      await read.waitFor();
      await read.locator('[data-testid="policy-args-schema"] summary').click();
      expect(await read.locator('pre').textContent()).toContain('"path"');
      expect(
        await agentRow
          .locator('[data-testid="command-policy"][data-command="write_file"] [data-testid="policy-effective"]')
          .textContent(),
      ).toMatch(/Destructive/i);
      await shot(page, 'mcp-server-added', true);
    });
    await step(page, 'mcp-zh', async () => {
      await byTestId('lang-toggle').click();
      await byTestId('theme-toggle').click();
      expect(await byTestId('mcp-servers').textContent()).toContain('添加 MCP 服务器');
      await shot(page, 'mcp-server-added-zh-dark', true);
      await byTestId('lang-toggle').click();
      await byTestId('theme-toggle').click();
    });
    expect(errors).toEqual([]);
  });
});
