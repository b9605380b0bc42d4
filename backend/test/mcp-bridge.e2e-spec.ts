import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DataSource } from 'typeorm';
import type { AgentDto, ApprovalDto, AuditEntryDto, McpServerDto } from '@echocenter/contracts';
import type { AuthActor } from '../src/auth/auth-actor';
import { ButlerTools } from '../src/butler/tools/butler-tools';
import { ButlerToolDeps } from '../src/butler/tools/butler-tool-deps';
import { McpBridgeLauncher } from '../src/mcp-servers/mcp-bridge-launcher';
import { until } from './fakes/butler-kit';
import { startMcpHttpServer } from './fakes/mcp-http-server';
import { confirmReadOnly, startTestApp, type TestApp } from './support/test-app';

const ROOT = join(__dirname, '..', '..');
const FILESYSTEM = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const TSX = join(ROOT, 'node_modules', 'tsx');
const missing = [FILESYSTEM, EVERYTHING, TSX].find((p) => !existsSync(p));
if (missing) process.stdout.write(`MCP bridge e2e skipped: ${missing} is not installed\n`);
const suite = missing ? describe.skip : describe;

/**
 * Issue 23, MCP servers as agents: the published filesystem and everything servers (stdio), each added by an
 * admin over REST, run by the fleet launcher as a bridge process (agents/mcp-bridge from source through tsx),
 * commanded through the hub's own policy and approvals (over /mcp and the Butler's tool path).
 */
suite('MCP servers as agents through the bridge (issue 23)', () => {
  let t: TestApp;
  let folder: string;
  let mcp: Client;
  let admin: AuthActor;
  const bearer = () => ({ authorization: `Bearer ${t.adminToken}` });
  const call = async (name: string, args: Record<string, unknown>) =>
    (await mcp.callTool({ name, arguments: args })) as CallToolResult;

  async function addServer(body: Record<string, unknown>): Promise<{ server: McpServerDto; agent: AgentDto }> {
    const res = await t.http().post('/api/mcp-servers').set(bearer()).send(body);
    expect(res.status).toBe(201);
    const server = res.body as McpServerDto;
    let agent: AgentDto | undefined;
    await until(
      async () => {
        agent = (await t.http().get(`/api/agents/${server.agentId}`).set(bearer())).body as AgentDto;
        return agent.online && agent.commands.length > 0;
      },
      30_000,
      `${server.name}'s bridge to connect and publish its tools`,
    );
    return { server, agent: agent! };
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'echocenter-mcp-fs-'));
    writeFileSync(join(folder, 'hello.txt'), 'hello from the share\n');
    t = await startTestApp();
    const enabled = t.app.get(McpBridgeLauncher).enable(t.url, {
      launcherPath: join(ROOT, 'agents', 'fleet', 'launcher.ts'),
      cliPath: join(ROOT, 'agents', 'cli.ts'),
      execArgv: ['--import', 'tsx'],
    });
    expect(enabled).toBe(true);
    const me = (await t.http().get('/api/auth/me').set(bearer())).body as { id: number; username: string };
    admin = { id: me.id, name: me.username, kind: 'ADMIN' };
    mcp = new Client({ name: 'e2e', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers: bearer() } }),
    );
  });
  afterAll(async () => {
    await mcp?.close().catch(() => undefined);
    await t?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("refuses a personal access token, even an admin's, and says what is missing", async () => {
    const created = await t
      .http()
      .post('/api/access-tokens')
      .set(bearer())
      .send({ name: 'admin script', scope: 'operate' });
    const res = await t
      .http()
      .post('/api/mcp-servers')
      .set({ authorization: `Bearer ${created.body.token}` })
      .send({ name: 'Shell', transport: 'stdio', command: '/bin/sh' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/console session/);
    const bad = await t
      .http()
      .post('/api/mcp-servers')
      .set(bearer())
      .send({ name: 'X', transport: 'ftp', url: 'nope' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/transport must be stdio or http/);
    const noCommand = await t.http().post('/api/mcp-servers').set(bearer()).send({ name: 'Xy', transport: 'stdio' });
    expect(noCommand.status).toBe(400);
    expect(noCommand.body.message).toMatch(/command: required/);
    expect((await t.http().get('/api/mcp-servers').set(bearer())).body).toEqual([]);
  });

  it('the filesystem server: read tools become read-only proposals, write_file is destructive and writes only after approval', async () => {
    const { server, agent } = await addServer({
      name: 'Files',
      transport: 'stdio',
      command: process.execPath,
      args: [FILESYSTEM, folder],
      env: { SHARE_NOTE: 'not-a-real-secret' },
    });
    expect(server).toMatchObject({ transport: 'stdio', envNames: ['SHARE_NOTE'], bridge: 'running' });
    expect(JSON.stringify(server)).not.toContain('not-a-real-secret');
    const [row] = await t.app.get(DataSource).query('SELECT secrets FROM mcp_servers WHERE id = ?', [server.id]);
    expect(row.secrets).not.toContain('not-a-real-secret');

    // The card: read tools claim read-only (a proposal: still NEEDS_APPROVAL), write_file is DESTRUCTIVE; schemas travel along.
    const read = agent.commands.find((c) => c.name === 'read_text_file')!;
    expect(read).toMatchObject({ readOnly: true, policy: 'NEEDS_APPROVAL' });
    expect(read.argsSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['path']) });
    expect(read.args).toMatch(/^\{.*path\*: string.*\} #[0-9a-f]{10}$/);
    expect(agent.commands.find((c) => c.name === 'write_file')).toMatchObject({
      destructive: true,
      policy: 'DESTRUCTIVE',
    });
    expect(agent.commands.find((c) => c.name === 'list_directory')).toMatchObject({ readOnly: true });

    // Unconfirmed, even a read asks; once an admin confirms the proposal, it runs at once with its result.
    const asked = (
      await call('command_agent', {
        agentId: agent.id,
        command: `read_text_file {"path": "${join(folder, 'hello.txt')}"}`,
      })
    ).structuredContent as { status: string };
    expect(asked.status).toBe('APPROVAL_REQUIRED');
    await confirmReadOnly(t, agent.id, 'read_text_file');
    const now = await call('command_agent', {
      agentId: agent.id,
      command: `read_text_file {"path": "${join(folder, 'hello.txt')}"}`,
    });
    expect(now.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.stringify(now.structuredContent)).toContain('hello from the share');
    // Arguments are checked against the tool's input schema before the server sees them.
    const bad = await call('command_agent', { agentId: agent.id, command: 'read_text_file {"file": 1}' });
    expect(bad.structuredContent).toMatchObject({ status: 'FAILED' });
    expect(JSON.stringify(bad.structuredContent)).toMatch(/invalid arguments for read_text_file: .*path/);
    // The server's own refusals come back as failures (outside its folder).
    const outside = await call('command_agent', {
      agentId: agent.id,
      command: 'read_text_file {"path": "/etc/hostname"}',
    });
    expect(outside.structuredContent).toMatchObject({ status: 'FAILED' });

    // write_file: an approval every time; nothing is written before it.
    const target = join(folder, 'written.txt');
    const write = (
      await call('command_agent', {
        agentId: agent.id,
        command: `write_file ${JSON.stringify({ path: target, content: 'approved content' })}`,
      })
    ).structuredContent as { status: string; approvalId: number };
    expect(write.status).toBe('APPROVAL_REQUIRED');
    expect(existsSync(target)).toBe(false);
    const approval = (
      (await call('get_approval', { id: write.approvalId })).structuredContent as {
        untrusted_data: { approval: ApprovalDto };
      }
    ).untrusted_data;
    expect(approval.approval.policy).toBe('DESTRUCTIVE');
    expect(
      (await t.http().post(`/api/approvals/${write.approvalId}/decision`).set(bearer()).send({ approved: true }))
        .status,
    ).toBe(200);
    await until(
      async () =>
        ((await call('get_approval', { id: write.approvalId })).structuredContent as { status: string }).status ===
        'SUCCEEDED',
      15_000,
      'write_file to run',
    );
    expect(readFileSync(target, 'utf8')).toBe('approved content');

    const audit = (await t.http().get('/api/audit?action=mcp_server.created').set(bearer())).body
      .items as AuditEntryDto[];
    expect(audit[0]).toMatchObject({
      targetId: agent.id,
      details: expect.objectContaining({ envNames: ['SHARE_NOTE'] }),
    });
    expect(JSON.stringify(audit)).not.toContain('not-a-real-secret');
  });

  it('the everything server: progress notifications stream as command progress, and a cancel reaches the tool as MCP cancellation', async () => {
    const { agent } = await addServer({
      name: 'Everything',
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    const op = 'trigger-long-running-operation';
    expect(agent.commands.find((c) => c.name === op)).toMatchObject({ readOnly: true });
    await confirmReadOnly(t, agent.id, op);

    const lines: string[] = [];
    const tools = new ButlerTools(t.app.get(ButlerToolDeps), admin, null, (_agent, text) => lines.push(text));
    const done = await tools.commandAgent(agent.id, `${op} {"duration": 1, "steps": 4}`, 'progress test');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.message).toContain('Long running operation completed');
    // The last line leaves the server right before the result: the hub relays it before ending the command.
    expect(lines).toEqual(['progress 1/4', 'progress 2/4', 'progress 3/4', 'progress 4/4']);

    // A long one, cancelled while it runs: the command ends CANCELLED long before the operation would have.
    const started = Date.now();
    const long = tools.commandAgent(agent.id, `${op} {"duration": 30, "steps": 30}`, 'cancel test');
    let commandId = 0;
    await until(
      async () => {
        const [row] = await t.app
          .get(DataSource)
          .query("SELECT id FROM agent_commands WHERE agent_id = ? AND status = 'RUNNING' ORDER BY id DESC", [
            agent.id,
          ]);
        commandId = row?.id ?? 0;
        return commandId > 0 && lines.length > 3;
      },
      10_000,
      'the long operation to report progress',
    );
    expect((await t.http().post(`/api/commands/${commandId}/cancel`).set(bearer())).status).toBe(200);
    expect((await long).status).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(15_000);
    // The bridge and its server still answer after the cancel.
    expect((await tools.commandAgent(agent.id, `${op} {"duration": 0.2, "steps": 1}`, 'after cancel')).status).toBe(
      'SUCCEEDED',
    );
  });

  it("a Streamable HTTP server with a secret header; a changed tool list updates the card and lapses the changed tool's confirmation, not an unchanged one's", async () => {
    const lookup = {
      name: 'lookup',
      description: 'Finds a ticket',
      inputSchema: { type: 'object' as const, properties: { q: { type: 'string' } }, required: ['q'] },
      annotations: { readOnlyHint: true },
    };
    // Stays exactly the same through the list change below: its admin's confirmation must survive it.
    const count = {
      name: 'ticket_count',
      description: 'Counts open tickets',
      inputSchema: { type: 'object' as const, properties: {} },
      annotations: { readOnlyHint: true },
    };
    const remote = await startMcpHttpServer('s3cret-header-value', [lookup, count]);
    try {
      const { server, agent } = await addServer({
        name: 'Remote',
        description: 'Ticket system',
        transport: 'http',
        url: remote.url,
        headers: { Authorization: 'Bearer s3cret-header-value' },
      });
      expect(server).toMatchObject({ transport: 'http', headerNames: ['Authorization'] });
      const listed = (await t.http().get('/api/mcp-servers').set(bearer())).body as McpServerDto[];
      expect(JSON.stringify(listed)).not.toContain('s3cret-header-value');
      const [row] = await t.app.get(DataSource).query('SELECT secrets FROM mcp_servers WHERE id = ?', [server.id]);
      expect(row.secrets).not.toContain('s3cret-header-value');
      expect(agent.description).toBe('Ticket system');

      await confirmReadOnly(t, agent.id, 'lookup');
      await confirmReadOnly(t, agent.id, 'ticket_count');
      const found = await call('command_agent', { agentId: agent.id, command: 'lookup {"q": "printer"}' });
      expect(found.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
      expect(JSON.stringify(found.structuredContent)).toContain('lookup {\\"q\\":\\"printer\\"}');

      // The server widens lookup and adds a tool without annotations: the card follows, the confirmation lapses.
      const widened = {
        ...lookup,
        inputSchema: { ...lookup.inputSchema, properties: { q: { type: 'string' }, closeAll: { type: 'boolean' } } },
      };
      await remote.setTools([
        widened,
        count,
        { name: 'purge', description: 'Deletes old tickets', inputSchema: { type: 'object' as const, properties: {} } },
      ]);
      let card: AgentDto | undefined;
      await until(
        async () => {
          card = (await t.http().get(`/api/agents/${agent.id}`).set(bearer())).body as AgentDto;
          // The card is stored first, then the hub reviews it (needsReview): wait for both.
          return (
            card.commands.some((c) => c.name === 'purge') &&
            card.commands.some((c) => c.name === 'lookup' && c.needsReview)
          );
        },
        15_000,
        'the new card, reviewed',
      );
      expect(card!.commands.find((c) => c.name === 'lookup')).toMatchObject({
        policy: 'NEEDS_APPROVAL',
        needsReview: true,
        args: expect.stringContaining('closeAll: boolean'),
      });
      expect(card!.commands.find((c) => c.name === 'purge')).toMatchObject({
        destructive: true,
        policy: 'DESTRUCTIVE',
      });
      const again = (await call('command_agent', { agentId: agent.id, command: 'lookup {"q": "printer"}' }))
        .structuredContent as { status: string };
      expect(again.status).toBe('APPROVAL_REQUIRED');
      // The unchanged tool keeps its confirmation: still read-only, not up for review, and it runs at once.
      const kept = card!.commands.find((c) => c.name === 'ticket_count');
      expect(kept).toMatchObject({ policy: 'READ_ONLY' });
      expect(kept!.needsReview).toBeFalsy();
      const counted = await call('command_agent', { agentId: agent.id, command: 'ticket_count' });
      expect(counted.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
      expect(remote.seenAuth.every((a) => a === 'Bearer s3cret-header-value')).toBe(true);

      // A rotation on the Agents page locks the bridge out; a restart rotates again and brings it back.
      expect((await t.http().post(`/api/agents/${agent.id}/token`).set(bearer())).status).toBe(200);
      await until(
        async () => !((await t.http().get(`/api/agents/${agent.id}`).set(bearer())).body as AgentDto).online,
        10_000,
        'the locked-out bridge to go offline',
      );
      const restarted = await t.http().post(`/api/mcp-servers/${server.id}/restart`).set(bearer());
      expect(restarted.status).toBe(200);
      await until(
        async () => ((await t.http().get(`/api/agents/${agent.id}`).set(bearer())).body as AgentDto).online,
        30_000,
        'the restarted bridge to connect',
      );

      // Deleting the agent itself (Agents page) stops its bridge and forgets the server.
      expect((await t.http().delete(`/api/agents/${agent.id}`).set(bearer())).status).toBe(204);
      await until(() => t.app.get(McpBridgeLauncher).state(server.id) === 'stopped', 10_000, 'the bridge to stop');
      expect(
        ((await t.http().get('/api/mcp-servers').set(bearer())).body as McpServerDto[]).map((s) => s.id),
      ).not.toContain(server.id);
    } finally {
      await remote.close();
    }
  });
});
