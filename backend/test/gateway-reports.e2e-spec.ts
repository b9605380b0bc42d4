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
    expect(ack).toEqual({ ok: true, log: expect.objectContaining({ agentId: agent.id, agentName: 'reporter', level: 'WARNING', content: 'disk at 91%' }) });
    expect(await pushed).toEqual(ack.log);
    const dto: AgentDto = (await t.http().get(`/api/agents/${agent.id}`).set('authorization', `Bearer ${t.adminToken}`)).body;
    expect(dto.lastReport).toBe('disk at 91%');
    await sleep(100);
    expect(agentSeen).toEqual([]);
  });

  it('pushes log:new for logs posted over REST too', async () => {
    const human = await connect(t.url, t.adminToken);
    const pushed = waitFor(human, 'log:new', (l) => l.content === 'via rest');
    await t.http().post('/api/logs').set('authorization', `Bearer ${agent.token}`).send({ level: 'INFO', content: 'via rest' }).expect(201);
    expect(await pushed).toMatchObject({ agentId: agent.id, level: 'INFO' });
  });

  it('validates log:report and refuses it from a MEMBER', async () => {
    const a = await connect(t.url, agent.token);
    const bad = await call(a, 'log:report', { level: 'LOUD', content: 5 });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.details.map((d: { field: string }) => d.field)).toEqual(['level', 'content']);
    const long = await call(a, 'log:report', { level: 'INFO', content: 'x'.repeat(51) });
    expect(long.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'content', message: 'must be at most 50 characters' }] });
    const m = await connect(t.url, (await createUser(t, 'not-a-reporter')).token);
    expect((await call(m, 'log:report', { level: 'INFO', content: 'hi' })).error.code).toBe('FORBIDDEN');
    expect((await call(a, 'log:report', { level: 'SUCCESS', content: 'fine again' })).ok).toBe(true);
  });

  it('stores the agent:hello card, shows it in GET /api/agents and pushes agent:card to humans', async () => {
    const human = await connect(t.url, t.adminToken);
    const a = await connect(t.url, agent.token);
    const card = {
      description: 'Keeps the disks tidy',
      version: '1.2.0',
      commands: [{ name: 'df', description: 'disk usage', readOnly: true }, { name: 'clean', args: '<path>' }],
    };
    const pushed = waitFor(human, 'agent:card');
    expect(await call(a, 'agent:hello', card)).toEqual({ ok: true });
    expect(await pushed).toEqual({ agentId: agent.id, ...card });
    const list: AgentDto[] = (await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).body;
    expect(list.find((x) => x.id === agent.id)).toMatchObject({ description: card.description, version: '1.2.0', commands: card.commands });
  });

  it('validates agent:hello field by field and refuses it from a human', async () => {
    const a = await connect(t.url, agent.token);
    const bad = await call(a, 'agent:hello', { version: 3, commands: [{ name: 'ok' }, { name: 'bad name!' }, 'x', { name: 'ok', readOnly: 'yes' }] });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.details.map((d: { field: string }) => d.field)).toEqual(['version', 'commands[1].name', 'commands[2]', 'commands[3].readOnly', 'commands[3].name']);
    expect((await call(a, 'agent:hello', { commands: 'none' })).error.details).toEqual([{ field: 'commands', message: 'must be an array' }]);
    const h = await connect(t.url, t.adminToken);
    expect((await call(h, 'agent:hello', { commands: [] })).error.code).toBe('FORBIDDEN');
  });

  it('delivers serverSideEmit to local handlers (single node) and pushes through toActor/toAdmins', async () => {
    const realtime = t.app.get(RealtimeService);
    const got: unknown[] = [];
    const off = realtime.onServerSide('test:ping', (p) => got.push(p));
    realtime.serverSideEmit('test:ping', { n: 1, at: new Date(0) });
    await sleep(20);
    off();
    realtime.serverSideEmit('test:ping', { n: 2 });
    await sleep(20);
    expect(got).toEqual([{ n: 1, at: '1970-01-01T00:00:00.000Z' }]);

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
