import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { ApprovalDto, AuditEntryDto, CreatedAccessTokenDto } from '@echocenter/contracts';
import { AccessTokensService } from '../src/access-tokens/access-tokens.service';
import { ApprovalDecisions } from '../src/approvals/approval-decisions.service';
import { AuditService } from '../src/audit/audit.service';
import { SESSION_ONLY } from '../src/auth/auth.decorators';
import { startAgent } from './fakes/butler-kit';
import { refused } from './support/sockets';
import { createUser, startTestApp, type TestApp } from './support/test-app';

/** Every account and hub-control route: a console session only, never a personal access token. */
const SESSION_ONLY_ROUTES = [
  'POST /api/users',
  'PATCH /api/users/:id',
  'DELETE /api/users/:id',
  'PATCH /api/settings',
  'POST /api/settings/test-model',
  'POST /api/ops/nodes',
  'PATCH /api/ops/nodes/:id',
  'DELETE /api/ops/nodes/:id',
  'POST /api/ops/nodes/:id/test',
  'POST /api/ops/nodes/:id/host-key',
  'POST /api/ops/keys',
  'DELETE /api/ops/keys/:id',
  'POST /api/agents',
  'POST /api/agents/test-connection',
  'POST /api/agents/:id/token',
  'DELETE /api/agents/:id',
  'PUT /api/agents/:id/policies/:command',
  'POST /api/notifications/channels',
  'PUT /api/notifications/channels/:id',
  'DELETE /api/notifications/channels/:id',
  'POST /api/notifications/channels/:id/test',
  'POST /api/notifications/outbox/:id/retry',
  'DELETE /api/approvals/rules/:id',
  'POST /api/approvals/:id/decision',
  'POST /api/mcp-servers',
  'POST /api/mcp-servers/:id/restart',
  'DELETE /api/mcp-servers/:id',
  'POST /api/access-tokens',
  'DELETE /api/access-tokens/:id',
  'POST /api/auth/logout-all',
].sort();

/**
 * Every other route that changes something, which a token is not refused for being a token (its owner's kind and
 * role still apply: agents' routes refuse every human, the link page and login take no bearer at all). A new write
 * route fails the test below until it is put in one list or the other.
 */
const TOKEN_WRITE_ROUTES = [
  'POST /api/auth/login',
  'POST /api/conversations',
  'PATCH /api/conversations/:id',
  'DELETE /api/conversations/:id',
  'POST /api/commands/:id/cancel',
  'POST /api/logs',
  'POST /api/ops/agent/credentials',
  // The approval link page (served at /a/:token, outside /api): its own one-time token and CSRF, no bearer.
  'POST /api/a/:token',
].sort();

/** Every route the running app serves (`METHOD /api/path`), and whether it is marked @SessionOnly. */
function appRoutes(t: TestApp): { route: string; sessionOnly: boolean }[] {
  const out: { route: string; sessionOnly: boolean }[] = [];
  const join = (...parts: string[]) =>
    `/${parts
      .map((p) => p.replace(/^\/|\/$/g, ''))
      .filter(Boolean)
      .join('/')}`;
  for (const mod of t.app.get(ModulesContainer).values())
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!type) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string;
      const onClass = Reflect.getMetadata(SESSION_ONLY, type) === true;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const sessionOnly = onClass || Reflect.getMetadata(SESSION_ONLY, handler) === true;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        out.push({ route: `${method} ${join('api', base, path)}`, sessionOnly });
      }
    }
  return out;
}

/** The routes the running app marks @SessionOnly. */
const markedRoutes = (t: TestApp) =>
  appRoutes(t)
    .filter((r) => r.sessionOnly)
    .map((r) => r.route)
    .sort();

/** The routes that change something and are not marked: what a personal token (scope `operate`) may do. */
const tokenWriteRoutes = (t: TestApp) =>
  appRoutes(t)
    .filter((r) => !r.sessionOnly && !/^(GET|HEAD) /.test(r.route))
    .map((r) => r.route)
    .sort();

/**
 * Issue 23's audit, gaps 1 and 2: an admin's `operate` token reads and asks, but never controls accounts or
 * the hub (a leaked one would otherwise be a takeover: a new admin, a password reset, the model's URL, an
 * agent credential) and never decides an approval (an assistant could otherwise approve its own requests).
 */
describe('session-only routes: no personal access token controls accounts, the hub or approvals', () => {
  let t: TestApp;
  let boss: Awaited<ReturnType<typeof createUser>>;
  let op: CreatedAccessTokenDto;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const send = (route: string, token: string, body: Record<string, unknown> = {}) => {
    const [method, path] = route.split(' ');
    const url = path.replace(/:command/, 'get_status').replace(/:id/g, '999999');
    const http = t.http();
    const req =
      method === 'POST'
        ? http.post(url)
        : method === 'PATCH'
          ? http.patch(url)
          : method === 'PUT'
            ? http.put(url)
            : http.delete(url);
    return req.set(bearer(token)).send(body);
  };

  beforeAll(async () => {
    t = await startTestApp();
    boss = await createUser(t, 'token-boss', 'ADMIN');
    const res = await t
      .http()
      .post('/api/access-tokens')
      .set(bearer(boss.token))
      .send({ name: 'ide', scope: 'operate' });
    expect(res.status).toBe(201);
    op = res.body as CreatedAccessTokenDto;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every route that changes something is either session-only or on the list of what a token may do', () => {
    expect(tokenWriteRoutes(t)).toEqual(TOKEN_WRITE_ROUTES);
  });

  it('every marked route answers 403 to an admin operate token, and the walk covers exactly the marked routes', async () => {
    expect(markedRoutes(t)).toEqual(SESSION_ONLY_ROUTES);
    // The token is an admin's and works: it reads the same controllers.
    for (const path of ['/api/users', '/api/settings', '/api/ops/nodes', '/api/notifications/channels'])
      expect((await t.http().get(path).set(bearer(op.token))).status).toBe(200);

    for (const route of SESSION_ONLY_ROUTES) {
      const res = await send(route, op.token);
      expect([route, res.status]).toEqual([route, 403]);
      expect([route, res.body.message]).toEqual([route, expect.stringMatching(/console session|access token/)]);
    }
    // The takeover of the audit does not happen: no new admin, no password reset, no model URL.
    const body = { username: 'intruder', password: 'intruder-pass-1', role: 'ADMIN' };
    expect((await t.http().post('/api/users').set(bearer(op.token)).send(body)).status).toBe(403);
    const users = (await t.http().get('/api/users').set(bearer(t.adminToken))).body as { username: string }[];
    expect(users.map((u) => u.username)).not.toContain('intruder');
    const reset = { password: 'taken-over-pass-1' };
    expect((await t.http().patch(`/api/users/${boss.user.id}`).set(bearer(op.token)).send(reset)).status).toBe(403);
    await expect(t.login('token-boss', 'taken-over-pass-1')).rejects.toThrow(/401/);
    // A personal token is no socket credential either (approval:respond is a console socket's).
    expect((await refused(t.url, op.token)).message).toMatch(/Unauthorized/i);
  });

  it('the same routes pass the guard with a console session (refused only by their own checks)', async () => {
    const walker = await createUser(t, 'session-walker', 'ADMIN');
    for (const route of SESSION_ONLY_ROUTES.filter((r) => r !== 'POST /api/auth/logout-all')) {
      const res = await send(route, walker.token);
      if ([401, 403].includes(res.status)) throw new Error(`${route}: ${res.status} ${res.body.message}`);
    }
    // And for real: a session creates a user and resets a password.
    const created = await t
      .http()
      .post('/api/users')
      .set(bearer(walker.token))
      .send({ username: 'by-session', password: 'by-session-pass-1', role: 'MEMBER' });
    expect(created.status).toBe(201);
    expect(
      (
        await t
          .http()
          .patch(`/api/users/${created.body.id}`)
          .set(bearer(walker.token))
          .send({ password: 'new-pass-123' })
      ).status,
    ).toBe(200);
    expect((await t.login('by-session', 'new-pass-123')).accessToken).toBeTruthy();
    expect((await send('POST /api/auth/logout-all', walker.token)).status).toBe(204);
  });

  it("an admin's token asks for approvals but never decides one; the approval and its command name the token", async () => {
    const agent = await startAgent(t, 'Token-Ops', [{ name: 'restart_service', args: '<name>' }], () => ({
      ok: true,
      result: 'restarted',
    }));
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers: bearer(op.token) } }),
      );
      const asked = (await client.callTool({
        name: 'command_agent',
        arguments: { agentId: agent.id, command: 'restart_service nginx', reasoning: 'my own reasons' },
      })) as CallToolResult;
      const { approvalId } = asked.structuredContent as { approvalId: number };
      const dto = (await t.http().get(`/api/approvals/${approvalId}`).set(bearer(op.token))).body as ApprovalDto;
      expect(dto).toMatchObject({ status: 'PENDING', requestedBy: boss.user.id, requestedViaTokenId: op.id });

      for (const body of [{ approved: true }, { approved: true, remember: 'always' }, { approved: false }]) {
        const res = await t.http().post(`/api/approvals/${approvalId}/decision`).set(bearer(op.token)).send(body);
        expect(res.status).toBe(403);
      }
      const after = (await t.http().get(`/api/approvals/${approvalId}`).set(bearer(t.adminToken))).body as ApprovalDto;
      expect(after.status).toBe('PENDING');
      expect(agent.runs).toHaveLength(0);
      expect((await t.http().get('/api/approvals/rules').set(bearer(t.adminToken))).body).toEqual([]);
      // The service refuses a token too, whatever channel would bring one.
      const caller = (await t.app.get(AccessTokensService).verify(op.token))!;
      await expect(t.app.get(ApprovalDecisions).decide(caller, approvalId, { approved: true }, 'REST')).rejects.toThrow(
        /access token cannot decide/,
      );

      // The owner decides in the console; the command it runs carries the token too.
      const ok = await t
        .http()
        .post(`/api/approvals/${approvalId}/decision`)
        .set(bearer(boss.token))
        .send({ approved: true });
      expect(ok.status).toBe(200);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT requested_via_token_id AS via FROM agent_commands WHERE approval_id = ?', [approvalId]);
      expect(Number(row.via)).toBe(op.id);
      // Anything audited for a token's caller names the token.
      await t.app.get(AuditService).record(caller, { action: 'user.updated', targetType: 'user', targetId: 1 });
      const [entry] = (await t.http().get('/api/audit?targetType=user').set(bearer(t.adminToken))).body
        .items as AuditEntryDto[];
      expect(entry.details).toEqual({ viaTokenId: op.id });
    } finally {
      await client.close().catch(() => undefined);
      agent.probe.close();
    }
  });
});
