import type { ChatMessageDto, ConversationDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, sleep, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { RealtimeService } from '../src/gateway/realtime.service';
import type { EchoServer } from '../src/gateway/socket-types';
import { createUser, startTestApp, type TestApp } from './support/test-app';

describe('Butler with a model (fake OpenAI endpoint, real openai SDK)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ delayMs: 20 });
    t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler', BUTLER_TIMEOUT_MS: '1500' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    await t?.close();
    await fake?.close();
  });

  it('names its model in GET /api/butler', async () => {
    const res = await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`);
    expect(res.body).toMatchObject({ id: butler, kind: 'BUTLER', brain: 'fake-butler' });
  });

  it('streams chunks, stores one reply carrying the thread id, then ends the stream', async () => {
    const thread = await newThread(t, t.adminToken);
    // Pieces 40 ms apart, so they cannot all fall into one coalescing window.
    fake.options.chunkDelayMs = 40;
    const reply = await ask(admin, butler, thread, 'hello there butler, how are you today').finally(
      () => (fake.options.chunkDelayMs = 0),
    );
    expect(reply.text).toBe('You said: hello there butler, how are you today');
    expect(reply).toMatchObject({
      senderId: butler,
      senderKind: 'BUTLER',
      conversationId: thread,
      streamId: expect.any(String),
    });
    const chunks = admin.all<{ streamId: string; text: string; conversationId: number }>(
      'chat:chunk',
      (c) => c.streamId === reply.streamId,
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text).join('')).toBe(reply.text);
    expect(chunks.every((c) => c.conversationId === thread)).toBe(true);
    // Order on the wire: every chunk before the stored message, the end after it.
    const order = admin.seen
      .filter((s) => (s.data as { streamId?: string })?.streamId === reply.streamId)
      .map((s) => s.event);
    expect(order.indexOf('chat:message')).toBeGreaterThan(order.lastIndexOf('chat:chunk'));
    expect(order[order.length - 1]).toBe('chat:end');

    const history = await t
      .http()
      .get(`/api/conversations/${thread}/messages`)
      .set('authorization', `Bearer ${t.adminToken}`);
    expect(history.body.items.map((m: ChatMessageDto) => m.text)).toEqual([
      reply.text,
      'hello there butler, how are you today',
    ]);
  });

  it('sends a reply that arrives at once as one write: its piece, the stored message and the end together', async () => {
    const thread = await newThread(t, t.adminToken, 'one write');
    await ask(admin, butler, thread, 'warm up');
    // The hub's side of the operator's websocket: count what reaches the TCP handle.
    const server = (t.app.get(RealtimeService) as unknown as { server: EchoServer }).server;
    const conn = server.sockets.sockets.get(admin.socket.id!)!.conn as unknown as {
      transport: { socket: { _socket: { _writeGeneric: (...a: unknown[]) => unknown } } };
    };
    const tcp = conn.transport.socket._socket;
    const original = tcp._writeGeneric;
    let writes = 0;
    tcp._writeGeneric = function (this: unknown, ...args: unknown[]) {
      writes++;
      return original.apply(this, args);
    };
    try {
      const ack = await admin.emit<{ message: ChatMessageDto }>('chat:send', {
        targetId: butler,
        text: 'all at once please',
        conversationId: thread,
      });
      const afterAck = writes;
      const reply = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === butler && m.conversationId === thread && m.id > ack.message.id,
      );
      await admin.waitFor<{ streamId: string }>('chat:end', (e) => e.streamId === reply.streamId);
      // The ack was one write; everything after it, the one piece, the message and the end, is one more.
      expect(writes - afterAck).toBe(1);
      const tail = admin.seen
        .filter((s) => (s.data as { streamId?: string })?.streamId === reply.streamId)
        .map((s) => s.event);
      expect(tail).toEqual(['chat:chunk', 'chat:message', 'chat:end']);
      expect(
        admin
          .all<{ streamId: string; text: string }>('chat:chunk', (c) => c.streamId === reply.streamId)
          .map((c) => c.text)
          .join(''),
      ).toBe(reply.text);
    } finally {
      tcp._writeGeneric = original;
    }
  });

  it('gives the model its instructions, the live fleet as a data block and only the thread’s own history', async () => {
    await t.http().post('/api/agents').set('authorization', `Bearer ${t.adminToken}`).send({ name: 'Prompt-Probe' });
    // Turns share a fleet read for up to 250 ms; past that, the prompt shows the new agent.
    await sleep(300);
    const a = await newThread(t, t.adminToken, 'A');
    const b = await newThread(t, t.adminToken, 'B');
    await ask(admin, butler, a, 'secret of thread A');
    fake.requests.length = 0;
    await ask(admin, butler, b, 'question in thread B');
    const req = fake.requests[0];
    expect(req.model).toBe('fake-butler');
    expect(req.messages[0].role).toBe('system');
    // Agent text is data, never instructions (security-prompt.e2e-spec.ts covers the rest).
    expect(req.messages[0].content).not.toContain('Prompt-Probe');
    expect(req.messages[1]).toMatchObject({
      role: 'user',
      content: expect.stringMatching(/^\[EchoCenter data: fleet .*"name":"Prompt-Probe"/s),
    });
    expect(req.tools).toHaveLength(5);
    const all = JSON.stringify(req.messages);
    expect(all).toContain('question in thread B');
    expect(all).not.toContain('secret of thread A');
  });

  it('answers a resent message (same localId) once, with the message once and last in the model’s context', async () => {
    const thread = await newThread(t, t.adminToken, 'resend');
    await ask(admin, butler, thread, 'first question');
    fake.requests.length = 0;
    const payload = { targetId: butler, conversationId: thread, text: 'second question', localId: 'resend-1' };
    // Sent twice at once: the turn reads the thread while the first send commits, and the second is a repeat.
    const [a, b] = await Promise.all([
      admin.emit<{ message: ChatMessageDto }>('chat:send', payload),
      admin.emit<{ message: ChatMessageDto }>('chat:send', payload),
    ]);
    expect(b.message.id).toBe(a.message.id);
    const reply = await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.senderId === butler && m.conversationId === thread && m.id > a.message.id,
    );
    expect(reply.text).toBe('You said: second question');
    await sleep(200);
    expect(fake.requests).toHaveLength(1);
    const said = fake.requests[0].messages.filter(
      (m) => m.role !== 'system' && !String(m.content).startsWith('[EchoCenter data:'),
    );
    expect(said.map((m) => `${m.role}: ${String(m.content)}`)).toEqual([
      'user: first question',
      'assistant: You said: first question',
      'user: second question',
    ]);
    const history = await t
      .http()
      .get(`/api/conversations/${thread}/messages`)
      .set('authorization', `Bearer ${t.adminToken}`);
    expect(history.body.items.map((m: ChatMessageDto) => m.text)).toEqual([
      'You said: second question',
      'second question',
      'You said: first question',
      'first question',
    ]);
  });

  it('files a message without a thread id into the sender’s latest thread, or a new one', async () => {
    const { token } = await createUser(t, 'filer', 'MEMBER');
    const member = await connect(t, token);
    try {
      const ack = await member.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', {
        targetId: butler,
        text: 'no thread given',
      });
      expect(ack.ok).toBe(true);
      const reply = await member.waitFor<ChatMessageDto>('chat:message', (m) => m.senderId === butler);
      expect(reply.conversationId).toEqual(expect.any(Number));
      const threads = (await t.http().get('/api/conversations').set('authorization', `Bearer ${token}`))
        .body as ConversationDto[];
      expect(threads.map((c) => c.id)).toEqual([reply.conversationId]);
      expect(threads[0].title).toBe('no thread given');
    } finally {
      member.close();
    }
  });

  it('files into a thread created just after another thread was active: times are kept to the millisecond', async () => {
    const { token } = await createUser(t, 'filer-two', 'MEMBER');
    const member = await connect(t, token);
    try {
      const older = await newThread(t, token);
      // Both steps within one wall-clock second: whole-second creation times (SQLite) sorted the new thread first.
      while (Date.now() % 1000 > 300) await sleep(10);
      await ask(member, butler, older, 'activity in the older thread');
      const newer = await newThread(t, token);
      const ack = await member.emit<{ ok: boolean }>('chat:send', { targetId: butler, text: 'which thread?' });
      expect(ack.ok).toBe(true);
      const reply = await member.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === butler && m.text === 'You said: which thread?',
      );
      expect(reply.conversationId).toBe(newer);
    } finally {
      member.close();
    }
  });

  it('serves several operators and threads at once without one blocking another', async () => {
    fake.options.delayMs = 400;
    try {
      const users = await Promise.all([createUser(t, 'op-one'), createUser(t, 'op-two')]);
      const probes = await Promise.all(users.map((u) => connect(t, u.token)));
      const threads = await Promise.all(users.flatMap((u) => [newThread(t, u.token), newThread(t, u.token)]));
      fake.resetPeak();
      const replies = await Promise.all(
        threads.map((id, i) => ask(probes[Math.floor(i / 2)], butler, id, `parallel ${i}`)),
      );
      expect(replies.map((r) => r.text)).toEqual(threads.map((_, i) => `You said: parallel ${i}`));
      expect(replies.map((r) => r.conversationId)).toEqual(threads);
      // Each answer takes 400 ms at the model: a Butler serving threads one by one would never have two in flight.
      expect(fake.peakInFlight).toBe(4);
      probes.forEach((p) => p.close());
    } finally {
      fake.options.delayMs = 20;
    }
  });

  it('keeps turns of one thread in order', async () => {
    const thread = await newThread(t, t.adminToken);
    await Promise.all(
      ['first', 'second', 'third'].map((text) =>
        admin.emit('chat:send', { targetId: butler, text, conversationId: thread }),
      ),
    );
    await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text === 'You said: third',
    );
    const history = await t
      .http()
      .get(`/api/conversations/${thread}/messages?limit=10`)
      .set('authorization', `Bearer ${t.adminToken}`);
    const replies = (history.body.items as ChatMessageDto[]).filter((m) => m.senderId === butler).reverse();
    expect(replies.map((m) => m.text)).toEqual(['You said: first', 'You said: second', 'You said: third']);
  });

  it.each([
    ['[[error:429]] busy?', 'rate-limiting'],
    ['[[error:500]] broken?', 'HTTP 500'],
    ['[[error:401]] who am I?', 'BUTLER_API_KEY'],
    ['[[hang]] still there?', 'did not answer within 2 s'],
  ])('ends the reply with a clear message when the model fails: %s', async (text, expected) => {
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, text);
    expect(reply.text).toContain('⚠️');
    expect(reply.text).toContain(expected);
    expect(reply.conversationId).toBe(thread);
  });

  it('answers an unreachable model with a clear message too', async () => {
    fake.options.unreachable = true;
    try {
      const reply = await ask(admin, butler, await newThread(t, t.adminToken), 'anyone?');
      expect(reply.text).toContain('could not reach the language model');
    } finally {
      fake.options.unreachable = false;
    }
  });

  it('rejects a thread that is not the sender’s', async () => {
    const { token } = await createUser(t, 'intruder');
    const thread = await newThread(t, t.adminToken);
    const intruder = await connect(t, token);
    try {
      const ack = await intruder.emit('chat:send', { targetId: butler, text: 'let me in', conversationId: thread });
      // Refused before anything is stored (security-threads.e2e-spec.ts covers the rest).
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const mine = await t.http().get(`/api/conversations/${thread}/messages`).set('authorization', `Bearer ${token}`);
      expect(mine.status).toBe(404);
    } finally {
      intruder.close();
    }
  });
});
