import type { AgentDto, PresenceUpdateEvent } from '@echocenter/contracts';
import { RealtimeService } from '../src/gateway/realtime.service';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { closeAll, connect, record, sleep, waitFor } from './support/sockets';

describe('gateway: presence', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The storm below opens six sockets of one agent (the default cap is four).
    t = await startTestApp({ SOCKET_MAX_PER_ACTOR: '20,8' });
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  const agentDto = async (id: number): Promise<AgentDto> =>
    (await t.http().get(`/api/agents/${id}`).set('authorization', `Bearer ${t.adminToken}`)).body;
  const closed = (s: { close(): void; once(ev: 'disconnect', cb: () => void): void }) =>
    new Promise<void>((r) => (s.once('disconnect', () => r()), s.close()));

  it('announces the first socket and the last, not the ones between, and the REST view agrees', async () => {
    const watcher = await connect(t.url, t.adminToken);
    const agent = await registerAgent(t, 'multi-socket');
    const updates = record(watcher, 'presence:update');
    const mine = () => updates.filter((u) => u.actorId === agent.id);
    const realtime = t.app.get(RealtimeService);

    expect(await realtime.isOnline(agent.id)).toBe(false);
    const online = waitFor(watcher, 'presence:update', (u) => u.actorId === agent.id);
    const s1 = await connect(t.url, agent.token);
    expect(await online).toEqual<PresenceUpdateEvent>({
      actorId: agent.id,
      online: true,
      lastSeenAt: expect.any(String),
      status: 'ONLINE',
    });
    const s2 = await connect(t.url, agent.token);
    const s3 = await connect(t.url, agent.token);
    expect(await realtime.isOnline(agent.id)).toBe(true);
    expect(await agentDto(agent.id)).toMatchObject({ online: true, status: 'ONLINE' });

    await closed(s1);
    await closed(s2);
    await sleep(200);
    expect(mine()).toHaveLength(1);
    expect((await agentDto(agent.id)).online).toBe(true);

    const offline = waitFor(watcher, 'presence:update', (u) => u.actorId === agent.id && !u.online);
    await closed(s3);
    const off = await offline;
    expect(off).toMatchObject({ online: false, status: 'OFFLINE' });
    const dto = await agentDto(agent.id);
    expect(dto).toMatchObject({ online: false, status: 'OFFLINE', lastSeenAt: off.lastSeenAt });
    expect(await realtime.isOnline(agent.id)).toBe(false);
  });

  it('settles on the truth after a fast connect/disconnect storm', async () => {
    const agent = await registerAgent(t, 'flappy');
    const sockets = await Promise.all(Array.from({ length: 6 }, () => connect(t.url, agent.token)));
    for (const s of sockets.slice(0, 5)) s.close();
    await sleep(300);
    expect((await agentDto(agent.id)).online).toBe(true);
    sockets[5].close();
    const again = await connect(t.url, agent.token);
    again.close();
    await sleep(300);
    expect((await agentDto(agent.id)).online).toBe(false);
  });

  it('tracks humans too, and only humans receive presence updates', async () => {
    const member = await createUser(t, 'watched');
    const watcher = await connect(t.url, t.adminToken);
    const agentWatcher = await connect(t.url, (await registerAgent(t, 'not-a-watcher')).token);
    const agentSeen = record(agentWatcher, 'presence:update');
    const on = waitFor(watcher, 'presence:update', (u) => u.actorId === member.user.id && u.online);
    const s = await connect(t.url, member.token);
    await on;
    const off = waitFor(watcher, 'presence:update', (u) => u.actorId === member.user.id && !u.online);
    s.close();
    await off;
    const users = await t.http().get('/api/users').set('authorization', `Bearer ${t.adminToken}`);
    expect(users.body.find((u: { id: number }) => u.id === member.user.id).lastSeenAt).not.toBeNull();
    expect(agentSeen).toEqual([]);
  });

  it('marks a still-connected agent offline when the app shuts down and online again after a restart', async () => {
    const agent = await registerAgent(t, 'survivor');
    await connect(t.url, agent.token, { reconnection: true });
    await sleep(200);
    expect((await agentDto(agent.id)).online).toBe(true);
    await t.close({ dropDatabase: false });
    t = await t.restart();
    expect((await agentDto(agent.id)).online).toBe(false);
  });
});
