import type {
  AgentCommandDto,
  ChatMessageDto,
  CommandCancelEvent,
  CommandProgressEvent,
  MonitorEventDto,
} from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, sleep, startAgent, until, type Probe } from './fakes/butler-kit';
import { confirmReadOnly, createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

const CARD = [
  { name: 'get_status', readOnly: true, description: 'health' },
  { name: 'echo', readOnly: true, args: '<text>' },
  { name: 'stall', readOnly: true, description: 'never answers' },
  { name: 'clean', args: '<path>' },
];

/** Agent commands through the offline Butler (the default install): run, progress, result, deadline, cancel, monitor. */
describe('agent commands', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ AGENT_COMMAND_TIMEOUT_MS: '1500', SWEEP_INTERVAL_MS: '200' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    agent = await startAgent(t, 'Probe-Agent', CARD, async (run) => {
      if (run.command === 'stall') return null;
      if (run.command === 'get_status') {
        await agent.probe.emit('command:progress', { commandId: run.commandId, text: 'checking disks' });
        return { ok: true, result: 'all good, 42% used' };
      }
      if (run.command === 'echo') return { ok: true, result: run.args ?? '' };
      return { ok: false, error: 'not in this test' };
    });
    // The card only claims read-only; an admin confirms it so these commands run without approval.
    for (const c of CARD.filter((c) => c.readOnly)) await confirmReadOnly(t, agent.id, c.name);
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  it('runs a read-only command without approval, relays progress and answers in the thread', async () => {
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, 'ask Probe-Agent to get_status');
    expect(reply.text).toContain('all good, 42% used');
    const run = agent.runs.find((r) => r.command === 'get_status')!;
    expect(run).toMatchObject({ command: 'get_status', from: { id: butler, kind: 'BUTLER', name: 'Butler' } });
    expect(new Date(run.deadline).getTime()).toBeGreaterThan(Date.now() - 2000);

    const progress = await admin.waitFor<CommandProgressEvent>(
      'command:progress',
      (p) => p.commandId === run.commandId,
    );
    expect(progress).toMatchObject({ text: 'checking disks', agentId: agent.id });
    // The progress also streams into the thread while the Butler waits; the chunks add up to the stored reply.
    const live = admin
      .all<{ streamId: string; text: string }>('chat:chunk', (c) => c.streamId === reply.streamId)
      .map((c) => c.text);
    expect(live.join('')).toBe(reply.text);
    expect(reply.text).toMatch(/^\[Probe-Agent\] checking disks\n/);
    const cmd = await t.http().get(`/api/commands/${run.commandId}`).set(auth());
    expect(cmd.body).toMatchObject({
      status: 'SUCCEEDED',
      result: 'all good, 42% used',
      agentId: agent.id,
      command: 'get_status',
    });
    expect((await t.http().get('/api/approvals').set(auth())).body.items).toHaveLength(0);
  });

  it('understands "<agent>: <command> <args>" and passes the arguments', async () => {
    const reply = await ask(admin, butler, await newThread(t, t.adminToken), 'Probe-Agent: echo hello  world');
    const run = agent.runs.find((r) => r.command === 'echo')!;
    expect(run.args).toBe('hello world');
    expect(reply.text).toContain('hello world');
  });

  it('answers at once when the agent is offline: asks for the approval, sends nothing (it would queue; commands-queued.e2e)', async () => {
    await registerAgent(t, 'Sleeper');
    const reply = await ask(admin, butler, await newThread(t, t.adminToken), 'ask Sleeper to clean /tmp');
    expect(reply.text).toContain('needs a human approval first');
    const items = (await t.http().get('/api/approvals').set(auth())).body.items as {
      agentName: string;
      status: string;
    }[];
    expect(items.filter((a) => a.agentName === 'Sleeper').map((a) => a.status)).toEqual(['PENDING']);
  });

  it('times a silent agent out by its deadline, cancels it, and keeps a late result for the record only', async () => {
    const reply = await ask(admin, butler, await newThread(t, t.adminToken), 'ask Probe-Agent to stall', 6000);
    expect(reply.text).toContain('timed out');
    const run = agent.runs.find((r) => r.command === 'stall')!;
    const cancel = await agent.probe.waitFor<CommandCancelEvent>(
      'command:cancel',
      (c) => c.commandId === run.commandId,
    );
    expect(cancel.reason).toBe('deadline passed');

    const late = await agent.probe.emit('command:result', {
      commandId: run.commandId,
      ok: true,
      result: 'finally done',
    });
    expect(late).toEqual({ ok: true });
    const cmd = (await t.http().get(`/api/commands/${run.commandId}`).set(auth())).body as AgentCommandDto;
    expect(cmd.status).toBe('TIMED_OUT');
    expect(cmd.result).toBeNull();
    const monitor = (await t.http().get(`/api/butler/monitor?agentId=${agent.id}&limit=200`).set(auth())).body
      .items as MonitorEventDto[];
    expect(
      monitor.some(
        (e) => e.commandId === run.commandId && e.text.includes('late result') && e.text.includes('finally done'),
      ),
    ).toBe(true);
  });

  it('acknowledges a duplicate result and ignores it; correlation is by commandId only', async () => {
    await ask(admin, butler, await newThread(t, t.adminToken), 'Probe-Agent: echo first answer');
    const run = agent.runs.filter((r) => r.command === 'echo').pop()!;
    const dup = await agent.probe.emit('command:result', {
      commandId: run.commandId,
      ok: false,
      error: 'second answer',
    });
    expect(dup).toEqual({ ok: true });
    const cmd = (await t.http().get(`/api/commands/${run.commandId}`).set(auth())).body as AgentCommandDto;
    expect(cmd).toMatchObject({ status: 'SUCCEEDED', result: 'first answer', error: null });

    const other = await startAgent(t, 'Other-Agent', [], () => null);
    const foreign = await other.probe.emit<{ ok: boolean; error: { code: string } }>('command:result', {
      commandId: run.commandId,
      ok: true,
      result: 'not mine',
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const human = await admin.emit<{ ok: boolean; error: { code: string } }>('command:result', {
      commandId: run.commandId,
      ok: true,
    });
    expect(human).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const invalid = await agent.probe.emit<{ ok: boolean; error: { code: string } }>('command:result', {
      commandId: 'x',
      ok: 'yes',
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    other.probe.close();
  });

  it('lets the requester cancel a running command; the agent is told and the turn ends', async () => {
    const thread = await newThread(t, t.adminToken);
    const before = agent.runs.length;
    await admin.emit('chat:send', { targetId: butler, text: 'ask Probe-Agent to stall', conversationId: thread });
    await until(() => agent.runs.length > before);
    const run = agent.runs[before];
    expect(run.command).toBe('stall');
    const { token } = await createUser(t, 'not-the-asker');
    await t.http().post(`/api/commands/${run.commandId}/cancel`).set(auth(token)).send({}).expect(404);
    const res = await t
      .http()
      .post(`/api/commands/${run.commandId}/cancel`)
      .set(auth())
      .send({ reason: 'changed my mind' });
    expect(res.body).toMatchObject({ status: 'CANCELLED', error: 'changed my mind' });
    await agent.probe.waitFor<CommandCancelEvent>(
      'command:cancel',
      (c) => c.commandId === run.commandId && c.reason === 'changed my mind',
    );
    const reply = await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.senderId === butler,
    );
    expect(reply.text).toContain('cancelled: changed my mind');
  });

  it('stores the Butler↔agent transcript and pushes it to admins only', async () => {
    const { token } = await createUser(t, 'watcher', 'MEMBER');
    const member = await connect(t, token);
    try {
      const before = admin.all('monitor:event').length;
      await ask(admin, butler, await newThread(t, t.adminToken), 'Probe-Agent: echo monitored');
      const live = admin.all<MonitorEventDto>('monitor:event').slice(before);
      expect(live.map((e) => [e.direction, e.text])).toEqual([
        ['TO_AGENT', 'run: echo monitored'],
        ['FROM_AGENT', 'result: monitored'],
      ]);
      await sleep(200);
      expect(member.all('monitor:event')).toHaveLength(0);

      await t.http().get('/api/butler/monitor').set(auth(token)).expect(403);
      const page = await t.http().get(`/api/butler/monitor?agentId=${agent.id}&limit=2`).set(auth());
      expect(page.body.items.map((e: MonitorEventDto) => e.text)).toEqual(['result: monitored', 'run: echo monitored']);
      expect(page.body.nextCursor).toEqual(expect.any(Number));
      const older = await t
        .http()
        .get(`/api/butler/monitor?agentId=${agent.id}&before=${page.body.nextCursor}&limit=200`)
        .set(auth());
      expect(older.body.items.every((e: MonitorEventDto) => e.id < page.body.nextCursor)).toBe(true);
    } finally {
      member.close();
    }
  });
});
