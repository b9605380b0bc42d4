import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DataSource } from 'typeorm';
import type { AccessTokenDto, ApprovalDto, AuditEntryDto, CreatedAccessTokenDto } from '@echocenter/contracts';
import { AccessToken } from '../src/access-tokens/access-token.entity';
import { connect, startAgent, until } from './fakes/butler-kit';
import { confirmReadOnly, createUser, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 23, EchoCenter as an MCP server: the SDK's own client over Streamable HTTP at /mcp, authenticated by
 * personal access tokens (and console JWTs), against the real app, a real agent socket and the database.
 */
describe('MCP server at /mcp with personal access tokens (issue 23)', () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let member: Awaited<ReturnType<typeof createUser>>;
  const clients: Client[] = [];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function mcp(token: string): Promise<Client> {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers: bearer(token) } }),
    );
    clients.push(client);
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  async function createToken(
    sessionToken: string,
    scope: 'read' | 'operate',
    name = `${scope} token`,
  ): Promise<CreatedAccessTokenDto> {
    const res = await t.http().post('/api/access-tokens').set(bearer(sessionToken)).send({ name, scope });
    expect(res.status).toBe(201);
    return res.body as CreatedAccessTokenDto;
  }

  beforeAll(async () => {
    // Requesters may decide their own approvals here: a member's token must still never approve.
    t = await startTestApp({ APPROVAL_REQUESTER_MAY_APPROVE: 'true' });
    agent = await startAgent(
      t,
      'Fleet-Ops',
      [
        { name: 'get_status', readOnly: true },
        { name: 'restart_service', args: '<name>' },
      ],
      (run) => ({ ok: true, result: `${[run.command, run.args].filter(Boolean).join(' ')} done` }),
    );
    await confirmReadOnly(t, agent.id, 'get_status');
    member = await createUser(t, 'mcp-member');
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    agent?.probe.close();
    await t?.close();
  });

  it('personal access tokens: shown once, stored hashed, listed with last use, refused after revoke, never minted by a token', async () => {
    const created = await createToken(t.adminToken, 'read', 'CI reader');
    expect(created.token).toMatch(/^ecp_[A-Za-z0-9_-]{43}$/);
    expect(created.hint).toBe(`ecp_…${created.token.slice(-4)}`);
    // The database holds a hash, never the token.
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT token_hash FROM personal_access_tokens WHERE id = ?', [created.id]);
    expect(row.token_hash).toHaveLength(64);
    expect(row.token_hash).not.toContain(created.token.slice(4, 20));

    // Bearer on REST: a read token reads, and writes nothing.
    expect((await t.http().get('/api/agents').set(bearer(created.token))).status).toBe(200);
    const write = await t.http().post('/api/conversations').set(bearer(created.token)).send({ title: 'x' });
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/read scope/);
    // A token cannot make or revoke tokens, even an operate one.
    const op = await createToken(t.adminToken, 'operate');
    expect(
      (await t.http().post('/api/access-tokens').set(bearer(op.token)).send({ name: 'escalate', scope: 'operate' }))
        .status,
    ).toBe(403);
    expect((await t.http().delete(`/api/access-tokens/${created.id}`).set(bearer(op.token))).status).toBe(403);

    const list = (await t.http().get('/api/access-tokens').set(bearer(t.adminToken))).body as (AccessTokenDto & {
      token?: string;
    })[];
    const mine = list.find((x) => x.id === created.id)!;
    expect(mine.lastUsedAt).not.toBeNull();
    expect(list.every((x) => x.token === undefined)).toBe(true);
    // Someone else's token is not found; the owner's revoke works at once.
    expect((await t.http().delete(`/api/access-tokens/${created.id}`).set(bearer(member.token))).status).toBe(404);
    expect((await t.http().delete(`/api/access-tokens/${created.id}`).set(bearer(t.adminToken))).status).toBe(204);
    expect((await t.http().get('/api/agents').set(bearer(created.token))).status).toBe(401);
    // Field messages for bad input.
    const bad = await t.http().post('/api/access-tokens').set(bearer(t.adminToken)).send({ name: '', scope: 'admin' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/scope must be read or operate/);
    // Audited.
    const audit = (await t.http().get('/api/audit?targetType=access_token').set(bearer(t.adminToken))).body
      .items as AuditEntryDto[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['access_token.created', 'access_token.revoked']),
    );
  });

  it('a token never outranks or outlives its owner: demotion, disabling and expiry apply at once', async () => {
    const boss = await createUser(t, 'mcp-boss', 'ADMIN');
    const op = await createToken(boss.token, 'operate');
    expect((await t.http().get('/api/users').set(bearer(op.token))).status).toBe(200);
    const admin = bearer(t.adminToken);
    expect((await t.http().patch(`/api/users/${boss.user.id}`).set(admin).send({ role: 'MEMBER' })).status).toBe(200);
    expect((await t.http().get('/api/users').set(bearer(op.token))).status).toBe(403);
    // Role and password changes end sessions, not tokens: the token still works, as a member now.
    expect((await t.http().get('/api/agents').set(bearer(op.token))).status).toBe(200);
    expect((await t.http().patch(`/api/users/${boss.user.id}`).set(admin).send({ disabled: true })).status).toBe(200);
    expect((await t.http().get('/api/agents').set(bearer(op.token))).status).toBe(401);

    const res = await t
      .http()
      .post('/api/access-tokens')
      .set(bearer(member.token))
      .send({ name: 'short-lived', scope: 'read', expiresInDays: 1 });
    expect(res.body.expiresAt).toBeTruthy();
    expect((await t.http().get('/api/agents').set(bearer(res.body.token))).status).toBe(200);
    await t.app
      .get(DataSource)
      .getRepository(AccessToken)
      .update({ id: res.body.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.http().get('/api/agents').set(bearer(res.body.token))).status).toBe(401);
  });

  it('refuses /mcp without a valid bearer, and agent tokens', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const headers = { accept: 'application/json, text/event-stream' };
    const none = await t.http().post('/mcp').set(headers).send(init);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await t.http().post('/mcp').set(headers).set(bearer('ecp_nope')).send(init)).status).toBe(401);
    expect((await t.http().post('/mcp').set(headers).set(bearer(agent.token)).send(init)).status).toBe(401);
  });

  it('lists the tools with truthful annotations and the fleet as resources', async () => {
    const client = await mcp((await createToken(t.adminToken, 'read')).token);
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((x) => [x.name, x]));
    expect([...byName.keys()].sort()).toEqual([
      'ask_butler',
      'command_agent',
      'get_agent_status',
      'get_approval',
      'list_agents',
      'list_approvals',
      'recent_logs',
    ]);
    for (const name of ['list_agents', 'get_agent_status', 'recent_logs', 'get_approval', 'list_approvals'])
      expect(byName.get(name)!.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('command_agent')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    // Asking changes a thread and may request approvals, but never destroys anything by itself.
    expect(byName.get('ask_butler')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['echocenter://agents', `echocenter://agents/${agent.id}/card`]),
    );
    const fleet = JSON.parse(
      ((await client.readResource({ uri: 'echocenter://agents' })).contents[0] as { text: string }).text,
    ).untrusted_data as { id: number; name: string }[];
    expect(fleet).toEqual(expect.arrayContaining([expect.objectContaining({ id: agent.id, name: 'Fleet-Ops' })]));
    const card = JSON.parse(
      ((await client.readResource({ uri: `echocenter://agents/${agent.id}/card` })).contents[0] as { text: string })
        .text,
    ).untrusted_data;
    expect(card.commands).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'get_status', policy: 'READ_ONLY' }),
        expect.objectContaining({ name: 'restart_service', policy: 'NEEDS_APPROVAL' }),
      ]),
    );
  });

  it('read tools answer with a read token; command_agent and ask_butler are refused with it', async () => {
    const client = await mcp((await createToken(member.token, 'read')).token);
    const agents = await call(client, 'list_agents');
    expect(agents.isError).toBeFalsy();
    const fleet = (agents.structuredContent as { untrusted_data: { agents: { name: string }[] } }).untrusted_data;
    expect(fleet.agents.map((a) => a.name)).toContain('Fleet-Ops');
    const status = await call(client, 'get_agent_status', { agentId: 'fleet-ops' });
    const one = (status.structuredContent as { untrusted_data: { agent: { id: number; status: string } } })
      .untrusted_data;
    expect(one.agent).toMatchObject({
      id: agent.id,
      status: 'ONLINE',
    });
    expect((await call(client, 'recent_logs', { limit: 5 })).isError).toBeFalsy();
    expect((await call(client, 'list_approvals')).isError).toBeFalsy();
    const missing = await call(client, 'get_agent_status', { agentId: 'nobody' });
    expect(missing.isError).toBe(true);

    const runs = agent.runs.length;
    for (const [name, args] of [
      ['command_agent', { agentId: agent.id, command: 'get_status' }],
      ['ask_butler', { text: 'list agents' }],
    ] as const) {
      const r = await call(client, name, args);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/operate scope/);
    }
    expect(agent.runs.length).toBe(runs);
  });

  it('command_agent runs a read-only command at once; one that needs approval returns its id, and get_approval shows the result once an admin approves', async () => {
    const client = await mcp((await createToken(member.token, 'operate')).token);
    const now = await call(client, 'command_agent', { agentId: 'Fleet-Ops', command: 'get_status' });
    expect(now.structuredContent).toMatchObject({ status: 'SUCCEEDED', untrusted_data: { agent: 'Fleet-Ops' } });
    expect(textOf(now)).toContain('get_status done');

    const runs = agent.runs.length;
    const asked = await call(client, 'command_agent', {
      agentId: agent.id,
      command: 'restart_service nginx',
      reasoning: 'stuck workers',
    });
    const outcome = asked.structuredContent as { status: string; approvalId: number; next: string };
    expect(outcome.status).toBe('APPROVAL_REQUIRED');
    expect(outcome.next).toMatch(/Waiting for approval #\d+/);
    expect(agent.runs.length).toBe(runs);
    const pending = (
      (await call(client, 'get_approval', { id: outcome.approvalId })).structuredContent as {
        untrusted_data: { approval: ApprovalDto };
      }
    ).untrusted_data;
    expect(pending.approval).toMatchObject({
      status: 'PENDING',
      command: 'restart_service nginx',
      reasoning: 'stuck workers',
      requestedBy: member.user.id,
    });

    // The member's own token can never approve, not even with the requester-may-approve setting's help.
    const byToken = await t
      .http()
      .post(`/api/approvals/${outcome.approvalId}/decision`)
      .set(bearer((await createToken(member.token, 'operate')).token))
      .send({ approved: true });
    expect(byToken.status).toBe(403);
    expect(byToken.body.message).toMatch(/console session/);
    // An admin approves in the console; the command runs and the approval carries its result.
    expect(
      (
        await t
          .http()
          .post(`/api/approvals/${outcome.approvalId}/decision`)
          .set(bearer(t.adminToken))
          .send({ approved: true })
      ).status,
    ).toBe(200);
    let approval: ApprovalDto | undefined;
    await until(
      async () => {
        approval = (
          (await call(client, 'get_approval', { id: outcome.approvalId })).structuredContent as {
            untrusted_data: { approval: ApprovalDto };
          }
        ).untrusted_data.approval;
        return approval.status === 'SUCCEEDED';
      },
      8000,
      'the approved command to finish',
    );
    expect(approval!.result).toContain('restart_service nginx done');
    // Someone else's approval is not theirs to read.
    const other = await mcp((await createToken(t.adminToken, 'operate')).token);
    const adminAsks = (await call(other, 'command_agent', { agentId: agent.id, command: 'restart_service db' }))
      .structuredContent as { approvalId: number };
    expect((await call(client, 'get_approval', { id: adminAsks.approvalId })).isError).toBe(true);
  });

  it("ask_butler is a turn in the caller's thread and returns the Butler's answer; a console JWT works on /mcp too", async () => {
    const client = await mcp(member.token);
    const first = await call(client, 'ask_butler', { text: 'list agents' });
    expect(first.isError).toBeFalsy();
    const { conversationId, answered } = first.structuredContent as { conversationId: number; answered: boolean };
    expect(answered).toBe(true);
    expect(textOf(first)).toContain('Fleet-Ops');
    // The thread is the member's, with question and answer stored.
    const messages = (await t.http().get(`/api/conversations/${conversationId}/messages`).set(bearer(member.token)))
      .body.items as { text: string }[];
    expect(messages.map((m) => m.text)).toEqual(expect.arrayContaining(['list agents']));
    // Continuing it works; someone else's thread is not found.
    const again = await call(client, 'ask_butler', { text: 'status of Fleet-Ops', conversationId });
    expect((again.structuredContent as { conversationId: number }).conversationId).toBe(conversationId);
    const adminClient = await mcp(t.adminToken);
    const foreign = await call(adminClient, 'ask_butler', { text: 'list agents', conversationId });
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toMatch(/not found/i);
  });
  it('commands the Butler runs or asks for in an ask_butler turn started with a token name that token', async () => {
    const op = await createToken(member.token, 'operate', 'assistant');
    const client = await mcp(op.token);
    const db = t.app.get(DataSource);
    // A read-only command runs inside the turn; the command row names the token.
    const ran = await call(client, 'ask_butler', { text: 'ask Fleet-Ops to get_status' });
    expect(ran.structuredContent).toMatchObject({ answered: true });
    const [cmd] = await db.query(
      "SELECT requested_via_token_id AS via, requested_by AS who FROM agent_commands WHERE command = 'get_status' ORDER BY id DESC LIMIT 1",
    );
    expect({ via: Number(cmd.via), who: Number(cmd.who) }).toEqual({ via: op.id, who: member.user.id });
    // One that needs an approval: the approval names the token, so an approver sees where it came from.
    const approver = await connect(t, t.adminToken);
    const asked = await call(client, 'ask_butler', { text: 'ask Fleet-Ops to restart_service cache' });
    expect(textOf(asked)).toMatch(/approval/i);
    const [row] = await db.query(
      "SELECT id, requested_via_token_id AS via FROM approvals WHERE command LIKE '%cache' ORDER BY id DESC LIMIT 1",
    );
    expect(Number(row.via)).toBe(op.id);
    const dto = (await t.http().get(`/api/approvals/${row.id}`).set(bearer(member.token))).body as ApprovalDto;
    expect(dto.requestedViaTokenId).toBe(op.id);
    // The approver's console hears it live with the token too.
    await approver.waitFor<{ id: number; requestedViaTokenId?: number | null }>(
      'approval:requested',
      (e) => e.id === Number(row.id) && e.requestedViaTokenId === op.id,
    );
    approver.close();
    // The same words from a console session name no token.
    await call(await mcp(member.token), 'ask_butler', { text: 'ask Fleet-Ops to restart_service queue' });
    const [session] = await db.query(
      "SELECT requested_via_token_id AS via FROM approvals WHERE command LIKE '%queue' ORDER BY id DESC LIMIT 1",
    );
    expect(session.via).toBeNull();
  });
});
