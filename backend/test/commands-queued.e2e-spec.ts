import type {
  AgentCommandCard,
  AgentCommandDto,
  ApprovalDto,
  ApprovalRequestedEvent,
  ChatMessageDto,
  CommandRunEvent,
  MonitorEventDto,
} from '@echocenter/contracts';
import { io } from 'socket.io-client';
import { ask, butlerId, connect, newThread, Probe, sleep, startAgent, until } from './fakes/butler-kit';
import { MAX_QUEUED_PER_REQUESTER } from '../src/commands/queued-command-check';
import { confirmReadOnly, createUser, startTestApp, type TestApp } from './support/test-app';

const CARD: AgentCommandCard[] = [
  { name: 'get_status', readOnly: true, description: 'health' },
  { name: 'clean', args: '<path>' },
];

/** Commands to an offline agent wait as QUEUED: they run once when it connects, expire, or are cancelled. */
describe('queued agent commands', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp({
      AGENT_COMMAND_TIMEOUT_MS: '3000',
      AGENT_COMMAND_QUEUE_TTL: '3s',
      SWEEP_INTERVAL_MS: '200',
    });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    await t?.close();
  });

  /** An agent that said hello once (its card, read-only confirmed) and went offline. */
  async function offlineAgent(name: string) {
    const agent = await startAgent(t, name, CARD, () => null);
    await confirmReadOnly(t, agent.id, 'get_status');
    agent.probe.close();
    await sleep(300);
    return agent;
  }

  /**
   * The agent back online, answering every run; its runs are recorded. It says hello with `card` as an
   * SDK does on every connect (queued work is sent only after that), unless `card` is null.
   */
  async function comeOnline(target: TestApp, token: string, card: AgentCommandCard[] | null = CARD) {
    // Its handler is in place before it connects (as an SDK's is): queued work is sent on connect.
    const socket = io(target.url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    const probe = new Probe(socket);
    const runs: CommandRunEvent[] = [];
    socket.on('command:run', (run: CommandRunEvent) => {
      runs.push(run);
      probe
        .emit('command:result', {
          commandId: run.commandId,
          ok: true,
          result: `done: ${run.command} ${run.args ?? ''}`.trim(),
        })
        .catch(() => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });
    if (card) {
      const hello = await probe.emit('agent:hello', { commands: card });
      if (!hello.ok) throw new Error(`agent:hello failed: ${JSON.stringify(hello)}`);
    }
    return { probe, runs };
  }

  async function commandIdOf(agentId: number): Promise<number> {
    let id: number | undefined;
    await until(async () => {
      const items = (await t.http().get(`/api/butler/monitor?agentId=${agentId}&limit=50`).set(auth())).body
        .items as MonitorEventDto[];
      id = items.find((e) => e.text.startsWith('queued:'))?.commandId ?? undefined;
      return id !== undefined;
    });
    return id!;
  }

  const threadSays = (thread: number, text: string, timeoutMs = 8000) =>
    admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.senderId === butler && m.text.includes(text),
      timeoutMs,
    );

  it('queues a read-only command to an offline agent (the turn ends) and runs it once when the agent connects', async () => {
    const agent = await offlineAgent('Late-Agent');
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, 'ask Late-Agent to get_status');
    expect(reply.text).toContain('waiting for Late-Agent to come online');
    const id = await commandIdOf(agent.id);
    expect((await t.http().get(`/api/commands/${id}`).set(auth())).body).toMatchObject({ status: 'QUEUED' });

    const back = await comeOnline(t, agent.token);
    try {
      const told = await threadSays(thread, 'Late-Agent came online and ran');
      expect(told.text).toContain('done: get_status');
      await sleep(600);
      expect(back.runs.map((r) => r.commandId)).toEqual([id]);
      expect((await t.http().get(`/api/commands/${id}`).set(auth())).body).toMatchObject({
        status: 'SUCCEEDED',
        result: 'done: get_status',
      });
    } finally {
      back.probe.close();
    }
  });

  it('queues an approved command for an offline agent (the thread is told it waits) and runs it once it connects; the approval ends with it', async () => {
    const agent = await offlineAgent('Nap-Agent');
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, 'ask Nap-Agent to clean /tmp');
    expect(reply.text).toContain('approval');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread,
    );
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
    await threadSays(thread, 'waiting for Nap-Agent to come online');
    const id = await commandIdOf(agent.id);
    expect((await t.http().get(`/api/commands/${id}`).set(auth())).body).toMatchObject({ status: 'QUEUED' });

    const back = await comeOnline(t, agent.token);
    try {
      await until(
        async () =>
          ((await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto).status ===
          'SUCCEEDED',
      );
      // The output is in the approval card (its result); the thread says how it ended and points there.
      await threadSays(thread, "Nap-Agent's output is in the approval card");
      expect(((await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto).result).toContain(
        'done: clean /tmp',
      );
      expect(back.runs.map((r) => r.commandId)).toEqual([id]);
    } finally {
      back.probe.close();
    }
  });

  it('expires a queued command whose agent never comes online, and tells the thread', async () => {
    const agent = await offlineAgent('Gone-Agent');
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ask Gone-Agent to get_status');
    const id = await commandIdOf(agent.id);
    const told = await threadSays(thread, 'expired', 8000);
    expect(told.text).toContain('Gone-Agent did not come online in time');
    const cmd = (await t.http().get(`/api/commands/${id}`).set(auth())).body as AgentCommandDto;
    expect(cmd.status).toBe('EXPIRED');

    // Coming online later runs nothing.
    const back = await comeOnline(t, agent.token);
    await sleep(600);
    expect(back.runs).toHaveLength(0);
    back.probe.close();
  });

  it('sends a queued command only after the agent said hello, not on the bare connect', async () => {
    const agent = await offlineAgent('Quiet-Agent');
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ask Quiet-Agent to get_status');
    const id = await commandIdOf(agent.id);
    const back = await comeOnline(t, agent.token, null);
    try {
      // Connected, several sweeps later, but its card is not known yet: nothing is sent.
      await sleep(800);
      expect(back.runs).toHaveLength(0);
      expect((await t.http().get(`/api/commands/${id}`).set(auth())).body).toMatchObject({ status: 'QUEUED' });
      expect((await back.probe.emit('agent:hello', { commands: CARD })).ok).toBe(true);
      await threadSays(thread, 'Quiet-Agent came online and ran');
      expect(back.runs.map((r) => r.commandId)).toEqual([id]);
    } finally {
      back.probe.close();
    }
  });

  /** Queues get_status (read-only, no approval), lets `change` happen while the agent is away, brings it back. */
  async function queuedThen(name: string, change: (agentId: number) => Promise<void>, card: AgentCommandCard[] = CARD) {
    const agent = await offlineAgent(name);
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, `ask ${name} to get_status`);
    expect(reply.text).toContain(`waiting for ${name} to come online`);
    const id = await commandIdOf(agent.id);
    await change(agent.id);
    const told = threadSays(thread, 'was cancelled');
    const back = await comeOnline(t, agent.token, card);
    try {
      const said = await told;
      await sleep(600);
      expect(back.runs).toHaveLength(0);
      return {
        id,
        said: said.text,
        cmd: (await t.http().get(`/api/commands/${id}`).set(auth())).body as AgentCommandDto,
      };
    } finally {
      back.probe.close();
    }
  }

  it('never runs a queued read-only command an admin reclassified while the agent was away: it ends CANCELLED and the thread is told', async () => {
    const { said, cmd } = await queuedThen('Tight-Agent', async (agentId) => {
      await t
        .http()
        .put(`/api/agents/${agentId}/policies/get_status`)
        .set(auth())
        .send({ readOnly: false })
        .expect(200);
    });
    expect(cmd).toMatchObject({ status: 'CANCELLED' });
    expect(cmd.error).toContain('policy changed while it waited (now needs approval)');
    expect(said).toContain('policy changed while it waited');
  });

  it('never runs a queued read-only command an admin marked destructive while the agent was away', async () => {
    const { cmd } = await queuedThen('Danger-Agent', async (agentId) => {
      await t
        .http()
        .put(`/api/agents/${agentId}/policies/get_status`)
        .set(auth())
        .send({ destructive: true })
        .expect(200);
    });
    expect(cmd).toMatchObject({ status: 'CANCELLED' });
    expect(cmd.error).toContain('now destructive');
  });

  it('never runs a queued read-only command when the agent comes back with a card that undoes the confirmation', async () => {
    const changed = [{ ...CARD[0]!, args: '<everything>' }, CARD[1]!];
    const { cmd } = await queuedThen('Shifty-Agent', async () => undefined, changed);
    expect(cmd).toMatchObject({ status: 'CANCELLED' });
    expect(cmd.error).toContain('now needs approval');
  });

  it('never runs a queued read-only command once every command needs approval (APPROVAL_POLICY=always)', async () => {
    const settings = (policy: string) =>
      t.http().patch('/api/settings').set(auth()).send({ approvals: { policy } }).expect(200);
    try {
      const { cmd } = await queuedThen('Strict-Agent', async () => {
        await settings('always');
      });
      expect(cmd).toMatchObject({ status: 'CANCELLED' });
      expect(cmd.error).toContain('every command now needs approval');
    } finally {
      await settings('default');
    }
  });

  it('caps the commands one person may have waiting for offline agents, with a clear error', async () => {
    await offlineAgent('Flood-Agent');
    const flo = await createUser(t, 'queue-flo');
    const floProbe = await connect(t, flo.token);
    try {
      const thread = await newThread(t, flo.token);
      for (let i = 0; i < MAX_QUEUED_PER_REQUESTER; i++) {
        expect((await ask(floProbe, butler, thread, 'ask Flood-Agent to get_status')).text).toContain('waiting for');
      }
      const refused = await ask(floProbe, butler, thread, 'ask Flood-Agent to get_status');
      expect(refused.text).toContain(`at most ${MAX_QUEUED_PER_REQUESTER}`);
      const waiting = await t
        .http()
        .get('/api/commands/waiting')
        .query({ conversationId: thread })
        .set({ authorization: `Bearer ${flo.token}` })
        .expect(200);
      expect(waiting.body).toHaveLength(MAX_QUEUED_PER_REQUESTER);
      // Another person is not held by flo's queue.
      const other = await newThread(t, t.adminToken);
      expect((await ask(admin, butler, other, 'ask Flood-Agent to get_status')).text).toContain('waiting for');
    } finally {
      floProbe.close();
    }
  });

  it('never runs a queued command that was cancelled', async () => {
    const agent = await offlineAgent('Undo-Agent');
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ask Undo-Agent to get_status');
    const id = await commandIdOf(agent.id);
    const res = await t.http().post(`/api/commands/${id}/cancel`).set(auth()).send({ reason: 'not needed' });
    expect(res.body).toMatchObject({ status: 'CANCELLED', error: 'not needed' });
    await threadSays(thread, 'was cancelled');

    const back = await comeOnline(t, agent.token);
    await sleep(800);
    expect(back.runs).toHaveLength(0);
    expect((await t.http().get(`/api/commands/${id}`).set(auth())).body).toMatchObject({ status: 'CANCELLED' });
    back.probe.close();
  });

  it("a member lists their thread's queued read-only command (GET /api/commands/waiting) and cancels it; nobody else sees it", async () => {
    const agent = await offlineAgent('Member-Agent');
    const mia = await createUser(t, 'queue-mia');
    const bob = await createUser(t, 'queue-bob');
    const miaProbe = await connect(t, mia.token);
    try {
      const thread = await newThread(t, mia.token);
      await ask(miaProbe, butler, thread, 'ask Member-Agent to get_status');
      const id = await commandIdOf(agent.id);
      const waiting = (token: string) =>
        t
          .http()
          .get('/api/commands/waiting')
          .query({ conversationId: thread })
          .set({ authorization: `Bearer ${token}` });
      expect((await waiting(mia.token).expect(200)).body).toEqual([
        expect.objectContaining({ id, command: 'get_status', status: 'QUEUED' }),
      ]);
      expect((await waiting(bob.token).expect(200)).body).toEqual([]);
      const bad = await t
        .http()
        .get('/api/commands/waiting')
        .query({ conversationId: 'x' })
        .set({ authorization: `Bearer ${mia.token}` });
      expect(bad.status).toBe(400);
      await t
        .http()
        .post(`/api/commands/${id}/cancel`)
        .set({ authorization: `Bearer ${bob.token}` })
        .send({})
        .expect(404);
      await t
        .http()
        .post(`/api/commands/${id}/cancel`)
        .set({ authorization: `Bearer ${mia.token}` })
        .send({ reason: 'not needed' })
        .expect(200);
      expect((await waiting(mia.token).expect(200)).body).toEqual([]);
    } finally {
      miaProbe.close();
    }
  });

  it('two nodes on one database: an agent connecting to both runs its queued command once', async () => {
    const agent = await offlineAgent('Twin-Late');
    const node2 = await t.restart();
    try {
      const thread = await newThread(t, t.adminToken);
      await ask(admin, butler, thread, 'ask Twin-Late to get_status');
      const id = await commandIdOf(agent.id);
      const [one, two] = await Promise.all([comeOnline(t, agent.token), comeOnline(node2, agent.token)]);
      try {
        await until(
          async () =>
            ((await t.http().get(`/api/commands/${id}`).set(auth())).body as AgentCommandDto).status === 'SUCCEEDED',
        );
        await sleep(800);
        expect(one.runs.length + two.runs.length).toBe(1);
      } finally {
        one.probe.close();
        two.probe.close();
      }
    } finally {
      await node2.close({ dropDatabase: false });
    }
  });
});

const redis = process.env.REDIS_URL;
const withRedis = redis ? describe : describe.skip;

/** Two nodes joined by Redis (set REDIS_URL): queued on one node, the agent connects to the other. */
withRedis('queued agent commands across nodes over Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({
      REDIS_URL: redis!,
      REDIS_PREFIX: `ec-queued-${Date.now()}`,
      AGENT_COMMAND_QUEUE_TTL: '10s',
      SWEEP_INTERVAL_MS: '200',
    });
    b = await a.restart();
  });
  afterAll(async () => {
    await b?.close({ dropDatabase: false });
    await a?.close();
  });

  it("a command queued on node A runs once when its agent connects to node B, and A's thread hears the result", async () => {
    const admin = await connect(a, a.adminToken);
    const butler = await butlerId(a, a.adminToken);
    const agent = await startAgent(a, 'Far-Agent', CARD, () => null);
    await confirmReadOnly(a, agent.id, 'get_status');
    agent.probe.close();
    await sleep(400);
    try {
      const thread = await newThread(a, a.adminToken);
      const reply = await ask(admin, butler, thread, 'ask Far-Agent to get_status');
      expect(reply.text).toContain('waiting for Far-Agent to come online');
      const socket = io(b.url, {
        auth: { token: agent.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      });
      const probe = new Probe(socket);
      const runs: CommandRunEvent[] = [];
      socket.on('command:run', (run: CommandRunEvent) => {
        runs.push(run);
        probe
          .emit('command:result', { commandId: run.commandId, ok: true, result: 'far and well' })
          .catch(() => undefined);
      });
      const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.connect();
      await connected;
      // As an SDK does on every connect: queued work is sent once the hub knows its card.
      expect((await probe.emit('agent:hello', { commands: CARD })).ok).toBe(true);
      try {
        const told = await admin.waitFor<ChatMessageDto>(
          'chat:message',
          (m) => m.conversationId === thread && m.senderId === butler && m.text.includes('came online'),
        );
        expect(told.text).toContain('far and well');
        await sleep(800);
        expect(runs).toHaveLength(1);
      } finally {
        probe.close();
      }
    } finally {
      admin.close();
    }
  });
});
