import type { AgentDto } from '@echocenter/contracts';
import { RealtimeService } from '../src/gateway/realtime.service';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { call, closeAll, connect, record, sleep, waitFor } from './support/sockets';

describe('gateway: log:report, agent:hello, pushes and the server-side bus', () => {
  let t: TestApp;
  let agent: { id: number; token: string };
  beforeAll(async () => {
    t = await startTestApp({ LOG_MAX_CONTENT: '50' });
    agent = await registerAgent(t, 'reporter');
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('stores a log:report, updates lastReport and pushes log:new to humans only', async () => {
    const member = await createUser(t, 'log-watcher');
    const human = await connect(t.url, member.token);
    const a = await connect(t.url, agent.token);
    const otherAgent = await connect(t.url, (await registerAgent(t, 'bystander-agent')).token);
    const agentSeen = record(otherAgent, 'log:new');
    const pushed = waitFor(human, 'log:new');
    const ack = await call(a, 'log:report', { level: 'WARNING', content: 'disk at 91%', agentId: 999 });
    expect(ack).toEqual({
      ok: true,
      log: expect.objectContaining({
        agentId: agent.id,
        agentName: 'reporter',
        level: 'WARNING',
        content: 'disk at 91%',
      }),
    });
    expect(await pushed).toEqual(ack.log);
    const dto: AgentDto = (await t.http().get(`/api/agents/${agent.id}`).set('authorization', `Bearer ${t.adminToken}`))
      .body;
    expect(dto.lastReport).toBe('disk at 91%');
    await sleep(100);
    expect(agentSeen).toEqual([]);
  });

  it('pushes log:new for logs posted over REST too', async () => {
    const human = await connect(t.url, t.adminToken);
    const pushed = waitFor(human, 'log:new', (l) => l.content === 'via rest');
    await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${agent.token}`)
      .send({ level: 'INFO', content: 'via rest' })
      .expect(201);
    expect(await pushed).toMatchObject({ agentId: agent.id, level: 'INFO' });
  });

  it('validates log:report and refuses it from a MEMBER', async () => {
    const a = await connect(t.url, agent.token);
    const bad = await call(a, 'log:report', { level: 'LOUD', content: 5 });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.details.map((d: { field: string }) => d.field)).toEqual(['level', 'content']);
    const long = await call(a, 'log:report', { level: 'INFO', content: 'x'.repeat(51) });
    expect(long.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'content', message: 'must be at most 50 characters' }],
    });
    const m = await connect(t.url, (await createUser(t, 'not-a-reporter')).token);
    expect((await call(m, 'log:report', { level: 'INFO', content: 'hi' })).error.code).toBe('FORBIDDEN');
    expect((await call(a, 'log:report', { level: 'SUCCESS', content: 'fine again' })).ok).toBe(true);
  });

  it('stores a resent log once: a repeated localId (socket or REST, also concurrent) returns the stored log and pushes it again', async () => {
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const human = await connect(t.url, t.adminToken);
    const pushes = record(human, 'log:new');
    const a = await connect(t.url, agent.token);
    const first = await call(a, 'log:report', { level: 'INFO', content: 'resent report', localId: 'log-1' });
    expect(first.ok).toBe(true);
    expect(await call(a, 'log:report', { level: 'INFO', content: 'resent report', localId: 'log-1' })).toEqual(first);
    const rest = await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${agent.token}`)
      .send({ level: 'INFO', content: 'resent report', localId: 'log-1' });
    expect(rest.status).toBe(201);
    expect(rest.body).toEqual(first.log);
    // A localId is the reporter's own: another agent's log with the same one is another log.
    const other = await registerAgent(t, 'second-reporter');
    const theirs = await call(await connect(t.url, other.token), 'log:report', {
      level: 'INFO',
      content: 'resent report',
      localId: 'log-1',
    });
    expect(theirs.log.id).toBeGreaterThan(first.log.id);
    const burst = await Promise.all(
      [1, 2, 3, 4].map(() => call(a, 'log:report', { level: 'ERROR', content: 'burst report', localId: 'log-2' })),
    );
    expect(burst.filter((x) => !x.ok)).toEqual([]);
    expect(new Set(burst.map((x) => x.log.id)).size).toBe(1);

    const stored = async (q: string) =>
      (await t.http().get('/api/logs').query({ q, limit: 50 }).set(admin)).body.items as {
        id: number;
        agentId: number;
      }[];
    expect((await stored('resent report')).map((l) => l.agentId).sort()).toEqual([agent.id, other.id].sort());
    expect(await stored('burst report')).toHaveLength(1);
    // Pushed on every resend (the node that stored it may have died before pushing); receivers drop copies by id.
    await sleep(100);
    expect(pushes.filter((l) => l.id === first.log.id)).toHaveLength(3);

    const bad = await call(a, 'log:report', { level: 'INFO', content: 'x', localId: 'has space' });
    expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'localId' }] });
    expect((await call(a, 'log:report', { level: 'INFO', content: 'x', localId: 'y'.repeat(65) })).error.code).toBe(
      'VALIDATION_FAILED',
    );
    const badRest = await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${agent.token}`)
      .send({ level: 'INFO', content: 'x', localId: 'has space' });
    expect(badRest.status).toBe(400);
    expect(badRest.body.details.map((d: { field: string }) => d.field)).toEqual(['localId']);
  });

  it('stores concurrent reports of several agents, each on the first try', async () => {
    const agents = await Promise.all(
      [1, 2, 3].map(async (n) => connect(t.url, (await registerAgent(t, `busy-${n}`)).token)),
    );
    const acks = await Promise.all(
      agents.flatMap((s, n) =>
        [1, 2, 3, 4, 5].map((k) => call(s, 'log:report', { level: 'INFO', content: `busy ${n}.${k}` })),
      ),
    );
    // Any refusal here would be retried by an SDK and hide the fault: every single ack must be ok.
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    expect(new Set(acks.map((a) => a.log.id)).size).toBe(15);
    const page = await t
      .http()
      .get('/api/logs')
      .query({ q: 'busy ', limit: 50 })
      .set('authorization', `Bearer ${t.adminToken}`);
    expect(page.body.items).toHaveLength(15);
  });

  it('stores the agent:hello card, shows it in GET /api/agents and pushes agent:card to humans', async () => {
    const human = await connect(t.url, t.adminToken);
    const a = await connect(t.url, agent.token);
    const card = {
      description: 'Keeps the disks tidy',
      version: '1.2.0',
      commands: [
        { name: 'df', description: 'disk usage', readOnly: true },
        { name: 'clean', args: '<path>' },
      ],
    };
    const pushed = waitFor(human, 'agent:card');
    // The hub adds each command's effective policy: a card's readOnly is only a claim an admin confirms.
    const ruled = card.commands.map((c) => ({ ...c, policy: 'NEEDS_APPROVAL' }));
    // The agent hears the ruling in the ack.
    expect(await call(a, 'agent:hello', card)).toEqual({ ok: true, commands: ruled });
    expect(await pushed).toEqual({ agentId: agent.id, ...card, commands: ruled });
    const list: AgentDto[] = (await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).body;
    expect(list.find((x) => x.id === agent.id)).toMatchObject({
      description: card.description,
      version: '1.2.0',
      commands: ruled,
    });
  });

  it('validates agent:hello field by field and refuses it from a human', async () => {
    const a = await connect(t.url, agent.token);
    const bad = await call(a, 'agent:hello', {
      version: 3,
      commands: [{ name: 'ok' }, { name: 'bad name!' }, 'x', { name: 'ok', readOnly: 'yes' }],
    });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.details.map((d: { field: string }) => d.field)).toEqual([
      'version',
      'commands[1].name',
      'commands[2]',
      'commands[3].readOnly',
      'commands[3].name',
    ]);
    expect((await call(a, 'agent:hello', { commands: 'none' })).error.details).toEqual([
      { field: 'commands', message: 'must be an array' },
    ]);
    const h = await connect(t.url, t.adminToken);
    expect((await call(h, 'agent:hello', { commands: [] })).error.code).toBe('FORBIDDEN');
  });

  it('delivers serverSideEmit to local handlers (single node) and pushes through toActor/toAdmins', async () => {
    const realtime = t.app.get(RealtimeService);
    const got: unknown[] = [];
    // A channel nobody listens to on a single node (SyncHints beats only with Redis).
    const off = realtime.onServerSide('sync:beat', (p) => got.push(p));
    // Copied as JSON, as another node would receive it (a Date becomes its ISO text).
    const beat = { nodeId: 'n1', at: new Date(0) };
    realtime.serverSideEmit('sync:beat', beat);
    await sleep(20);
    off();
    realtime.serverSideEmit('sync:beat', { nodeId: 'n2' });
    await sleep(20);
    expect(got).toEqual([{ nodeId: 'n1', at: '1970-01-01T00:00:00.000Z' }]);

    const admin = await connect(t.url, t.adminToken);
    const member = await connect(t.url, (await createUser(t, 'no-admin')).token);
    const memberSeen = record(member, 'approval:expiring');
    const toAdmins = waitFor(admin, 'approval:expiring');
    realtime.toAdmins('approval:expiring', { id: 1, expiresAt: 'soon' });
    expect(await toAdmins).toEqual({ id: 1, expiresAt: 'soon' });
    const a = await connect(t.url, agent.token);
    const run = waitFor(a, 'command:cancel');
    realtime.toActor(agent.id, 'command:cancel', { commandId: 9, reason: 'test' });
    expect(await run).toEqual({ commandId: 9, reason: 'test' });
    await sleep(50);
    expect(memberSeen).toEqual([]);
  });
});
