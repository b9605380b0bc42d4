import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatMessageDto } from '@echocenter/contracts';
import { Approval } from '../src/approvals/approval.entity';
import { ChatMessage } from '../src/chat/chat-message.entity';
import { GatewayNode } from '../src/gateway/presence.entities';
import { PresenceService } from '../src/gateway/presence.service';
import { TurnLedger } from '../src/butler/turns/turn-ledger';
import { TurnRecovery } from '../src/butler/turns/turn-recovery.service';
import { ask, butlerId, connect, newThread, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;
const goneNode = () => `gone-${randomBytes(8).toString('hex')}`;

/** A human's message to the Butler that a node, now gone, still owed an answer (as a crash leaves it). */
describe('Butler turns left unanswered by a node that is gone', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let alice: { user: { id: number; username: string }; token: string };
  let probe: Probe;
  let butler: number;
  let rows: ReturnType<DataSource['getRepository']>;

  const orphan = async (conversationId: number | null, text: string, node = goneNode()): Promise<number> => {
    const res = await rows.insert({
      senderId: alice.user.id,
      senderName: alice.user.username,
      senderKind: 'MEMBER',
      targetId: butler,
      conversationId,
      localId: null,
      streamId: null,
      text,
      turnNode: node,
      replyTo: null,
    });
    return Number(res.identifiers[0].id);
  };
  const row = (id: number) => rows.findOneByOrFail({ id }) as Promise<ChatMessage>;
  const replies = (to: number) => rows.findBy({ replyTo: to }) as Promise<ChatMessage[]>;
  const replyPushed = (to: string) =>
    probe.waitFor<ChatMessageDto>('chat:message', (m) => m.senderId === butler && m.text === `You said: ${to}`);

  beforeAll(async () => {
    fake = await startFakeOpenAi({ delayMs: 20 });
    t = await startTestApp({
      BUTLER_BASE_URL: fake.url,
      BUTLER_MODEL: 'fake-butler',
      ...(REDIS_URL ? { REDIS_URL, REDIS_PREFIX: `ec-recovery-${randomBytes(4).toString('hex')}` } : {}),
    });
    alice = await createUser(t, 'recovery-alice');
    probe = await connect(t, alice.token);
    butler = await butlerId(t, alice.token);
    rows = t.app.get(DataSource).getRepository(ChatMessage);
  });
  afterAll(async () => {
    probe?.close();
    await t?.close();
    await fake?.close();
  });

  it('marks a message to the Butler with its node until the answer is stored, then clears the mark', async () => {
    const thread = await newThread(t, alice.token);
    const reply = await ask(probe, butler, thread, 'mark me');
    const asked = (await rows.findBy({ conversationId: thread, senderId: alice.user.id })) as ChatMessage[];
    expect(asked).toHaveLength(1);
    expect((await row(reply.id)).replyTo).toBe(asked[0].id);
    expect(asked[0].turnNode).toBe(t.app.get(TurnLedger).nodeId);
    await t.app.get(TurnLedger).clearSettled();
    expect((await row(asked[0].id)).turnNode).toBeNull();
  });

  it('answers an orphan in its thread, pushes the answer to the operator, and answers it only once', async () => {
    const thread = await newThread(t, alice.token);
    const id = await orphan(thread, 'left behind by a crash');
    const pushed = replyPushed('left behind by a crash');
    await t.app.get(TurnRecovery).sweep();
    const reply = await pushed;
    expect(reply).toMatchObject({ conversationId: thread, senderKind: 'BUTLER' });
    await until(
      async () => {
        await t.app.get(TurnLedger).clearSettled();
        return (await row(id)).turnNode === null;
      },
      5000,
      'the mark to be cleared',
    );
    expect(await replies(id)).toHaveLength(1);

    await t.app.get(TurnRecovery).sweep();
    expect(await replies(id)).toHaveLength(1);
    // The model saw the orphan as the operator's last message, like any turn.
    const prompt = fake.requests.at(-1)?.messages ?? [];
    expect(prompt.at(-1)).toMatchObject({ role: 'user', content: 'left behind by a crash' });
  });

  it('only unmarks an orphan whose answer was stored before its node died', async () => {
    const thread = await newThread(t, alice.token);
    const node = goneNode();
    const id = await orphan(thread, 'answered just before the crash', node);
    await rows.insert({
      senderId: butler,
      senderName: 'Butler',
      senderKind: 'BUTLER',
      targetId: alice.user.id,
      conversationId: thread,
      localId: null,
      streamId: 's-1',
      text: 'done',
      turnNode: null,
      replyTo: id,
    });
    const asked = fake.requests.length;
    await t.app.get(TurnRecovery).sweep();
    expect((await row(id)).turnNode).toBeNull();
    expect(await replies(id)).toHaveLength(1);
    expect(fake.requests.length).toBe(asked);
  });

  it('files an orphan that never reached a thread, then answers it there', async () => {
    const id = await orphan(null, 'sent without a thread id');
    const pushed = replyPushed('sent without a thread id');
    await t.app.get(TurnRecovery).sweep();
    const reply = await pushed;
    const filed = (await row(id)).conversationId;
    expect(filed).toEqual(expect.any(Number));
    expect(reply.conversationId).toBe(filed);
    const mine = await t.http().get('/api/conversations').set('authorization', `Bearer ${alice.token}`);
    expect(mine.body.map((c: { id: number }) => c.id)).toContain(filed);
  });

  it('leaves the marks of live nodes alone', async () => {
    const thread = await newThread(t, alice.token);
    const id = await orphan(thread, 'still being answered', t.app.get(TurnLedger).nodeId);
    const asked = fake.requests.length;
    await t.app.get(TurnRecovery).sweep();
    expect(fake.requests.length).toBe(asked);
    expect((await row(id)).turnNode).toBe(t.app.get(TurnLedger).nodeId);
    await rows.update({ id }, { turnNode: null });
  });

  it('leaves the marks of a node that registered while the sweep read them', async () => {
    const thread = await newThread(t, alice.token);
    const nodes = t.app.get(DataSource).getRepository(GatewayNode);
    const starting = goneNode();
    const presence = t.app.get(PresenceService);
    // The sweep's first read of the live nodes ran just before `starting` registered and marked a message.
    const before = await presence.liveNodeIds();
    const spy = jest.spyOn(presence, 'liveNodeIds').mockResolvedValueOnce(before);
    await nodes.insert({ nodeId: starting, startedAt: new Date(), heartbeatAt: new Date() });
    const id = await orphan(thread, 'answered by a node just started', starting);
    try {
      expect((await t.app.get(TurnLedger).orphans(200)).map((o) => o.id)).not.toContain(id);
      expect(spy).toHaveBeenCalledTimes(2);
      expect((await row(id)).turnNode).toBe(starting);
    } finally {
      spy.mockRestore();
      await rows.update({ id }, { turnNode: null });
      await nodes.delete({ nodeId: starting });
    }
  });

  it('tells a thread how an approval ended when the node that ended it died first, once', async () => {
    const thread = await newThread(t, alice.token);
    const agent = await registerAgent(t, 'Recovery-Agent');
    const approvals = t.app.get(DataSource).getRepository(Approval);
    const res = await approvals.insert({
      conversationId: thread,
      requestedBy: alice.user.id,
      agentId: agent.id,
      agentName: 'Recovery-Agent',
      command: 'clean /tmp',
      proposedCommand: 'clean /tmp',
      reasoning: 'disk is full',
      status: 'REJECTED',
      decidedByName: 'admin',
      decisionChannel: 'REST',
      decidedAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      followupNode: goneNode(),
    });
    const id = Number(res.identifiers[0].id);
    const told = probe.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text.includes(`Approval #${id}`),
    );
    await t.app.get(TurnRecovery).sweep();
    expect((await told).text).toBe(
      `Approval #${id} for "clean /tmp" on Recovery-Agent was rejected by admin. Nothing was run.`,
    );
    await until(
      async () => (await approvals.findOneByOrFail({ id })).followupNode === null,
      5000,
      'the follow-up mark to be cleared',
    );
    await t.app.get(TurnRecovery).sweep();
    const notes = (await rows.findBy({ conversationId: thread, senderId: butler })) as ChatMessage[];
    expect(notes.map((n) => n.text)).toEqual([(await told).text]);
  });

  it('clears the follow-up mark once the thread has been told of a decision', async () => {
    const thread = await newThread(t, alice.token);
    const agent = await registerAgent(t, 'Decided-Agent');
    const approvals = t.app.get(DataSource).getRepository(Approval);
    const res = await approvals.insert({
      conversationId: thread,
      requestedBy: alice.user.id,
      agentId: agent.id,
      agentName: 'Decided-Agent',
      command: 'reboot',
      proposedCommand: 'reboot',
      reasoning: 'stuck',
      status: 'PENDING',
      expiresAt: new Date(Date.now() + 60_000),
      followupNode: null,
    });
    const id = Number(res.identifiers[0].id);
    // What the mark was when the follow-up was done: the decision must have set it to this node.
    const ledger = t.app.get(TurnLedger);
    const marks: (string | null)[] = [];
    const original = ledger.followupDone.bind(ledger);
    const spy = jest.spyOn(ledger, 'followupDone').mockImplementation(async (approvalId) => {
      if (approvalId === id) marks.push((await approvals.findOneByOrFail({ id })).followupNode);
      return original(approvalId);
    });
    try {
      const decided = await t
        .http()
        .post(`/api/approvals/${id}/decision`)
        .set('authorization', `Bearer ${t.adminToken}`)
        .send({ approved: false });
      expect(decided.status).toBe(200);
      await probe.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.includes('was rejected'),
      );
      await until(
        async () => (await approvals.findOneByOrFail({ id })).followupNode === null,
        5000,
        'the follow-up mark to be cleared',
      );
      expect(marks[0]).toBe(ledger.nodeId);
    } finally {
      spy.mockRestore();
    }
  });

  (REDIS_URL ? it : it.skip)('two nodes sweeping at once answer every orphan exactly once', async () => {
    const b = await t.restart();
    try {
      const threads = await Promise.all([1, 2, 3].map(() => newThread(t, alice.token)));
      const ids: number[] = [];
      for (const [i, thread] of threads.entries())
        for (const n of [1, 2]) ids.push(await orphan(thread, `race ${i}.${n}`));
      await Promise.all([t.app.get(TurnRecovery).sweep(), b.app.get(TurnRecovery).sweep()]);
      await until(
        async () => (await Promise.all(ids.map(replies))).every((r) => r.length > 0),
        8000,
        'every orphan answered',
      );
      await Promise.all([t.app.get(TurnRecovery).sweep(), b.app.get(TurnRecovery).sweep()]);
      const answers = await Promise.all(ids.map(replies));
      expect(answers.map((r) => r.length)).toEqual(ids.map(() => 1));
    } finally {
      await b.close({ dropDatabase: false });
    }
  });
});

/** The default install: one node, no Redis. A crash leaves the node's row behind; the next start sweeps it. */
describe('Butler turns across a restart of a single node', () => {
  it('answers at start what the previous process left unanswered', async () => {
    const fake = await startFakeOpenAi({ delayMs: 20 });
    const env = { BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler', PRESENCE_HEARTBEAT_MS: '200' };
    const before = await startTestApp(env);
    let after: TestApp | null = null;
    try {
      const bob = await createUser(before, 'restart-bob');
      const butler = await butlerId(before, bob.token);
      const thread = await newThread(before, bob.token);
      // What a process killed mid-turn leaves: its node's row (heartbeat still fresh) and the message it owed.
      const crashed = goneNode();
      const ds = before.app.get(DataSource);
      await ds.getRepository(GatewayNode).insert({ nodeId: crashed, startedAt: new Date(), heartbeatAt: new Date() });
      const res = await ds.getRepository(ChatMessage).insert({
        senderId: bob.user.id,
        senderName: bob.user.username,
        senderKind: 'MEMBER',
        targetId: butler,
        conversationId: thread,
        localId: 'before-the-crash',
        streamId: null,
        text: 'are you still there?',
        turnNode: crashed,
        replyTo: null,
      });
      const id = Number(res.identifiers[0].id);
      await before.close({ dropDatabase: false });
      // The next start, on the same database, takes every other node's row for stale (no Redis: it is alone).
      after = await before.restart();
      const rows = after.app.get(DataSource).getRepository(ChatMessage);
      await until(async () => (await rows.countBy({ replyTo: id })) > 0, 8000, 'the answer to be stored');
      const stored = (await rows.findBy({ replyTo: id })) as ChatMessage[];
      expect(stored.map((r) => [r.conversationId, r.text])).toEqual([[thread, 'You said: are you still there?']]);
    } finally {
      await after?.close({ dropDatabase: false });
      await before.close();
      await fake.close();
    }
  });
});
