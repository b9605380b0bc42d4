import { DataSource } from 'typeorm';
import type { ChatMessageDto } from '@echocenter/contracts';
import { ChatMessage } from '../src/chat/chat-message.entity';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { call, closeAll, connect, record, send, sleep, waitFor, type ClientSocket } from './support/sockets';

describe('chat over sockets', () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof createUser>>;
  let bob: Awaited<ReturnType<typeof createUser>>;
  let agent: { id: number; token: string };
  let butlerId: number;
  beforeAll(async () => {
    t = await startTestApp({ SOCKET_RATE_PER_SEC: '1000', SOCKET_RATE_BURST: '1000', CHAT_MAX_TEXT: '100' });
    alice = await createUser(t, 'alice');
    bob = await createUser(t, 'bob');
    agent = await registerAgent(t, 'chat-agent');
    butlerId = (await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`)).body.id;
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  const history = (token: string, peerId: number, q: Record<string, string | number> = {}) =>
    t.http().get(`/api/chat/${peerId}/messages`).query(q).set('authorization', `Bearer ${token}`);

  it('stores, delivers to the target and acks with the stored row; sender fields come from the server', async () => {
    const h = await connect(t.url, alice.token);
    const a = await connect(t.url, agent.token);
    const delivered = waitFor(a, 'chat:message');
    // A thread id belongs only on a message between a thread's owner and the Butler (security-threads.e2e-spec.ts).
    expect(await call(h, 'chat:send', { targetId: agent.id, text: 'status?', conversationId: 7 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const ack = await call(h, 'chat:send', {
      targetId: agent.id,
      text: 'status?',
      senderId: 999,
      senderName: 'mallory',
      senderKind: 'ADMIN',
    });
    expect(ack).toEqual({
      ok: true,
      message: expect.objectContaining({
        senderId: alice.user.id,
        senderName: 'alice',
        senderKind: 'MEMBER',
        targetId: agent.id,
        text: 'status?',
        conversationId: null,
        localId: null,
        streamId: null,
      }),
    });
    expect(new Date(ack.message.createdAt).getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(await delivered).toEqual(ack.message);
    const stored = await history(alice.token, agent.id);
    expect(stored.body.items).toEqual([ack.message]);
  });

  it('echoes a human sender to its other sockets only, and never echoes an agent', async () => {
    const h1 = await connect(t.url, bob.token);
    const h2 = await connect(t.url, bob.token);
    const a1 = await connect(t.url, agent.token);
    const a2 = await connect(t.url, agent.token);
    const [h1Seen, h2Seen, a1Seen, a2Seen] = [
      record(h1, 'chat:message'),
      record(h2, 'chat:message'),
      record(a1, 'chat:message'),
      record(a2, 'chat:message'),
    ];
    const fromHuman = await call(h1, 'chat:send', { targetId: agent.id, text: 'to agent' });
    const fromAgent = await call(a1, 'chat:send', { targetId: bob.user.id, text: 'to bob' });
    await sleep(200);
    expect(h1Seen.map((m) => m.id)).toEqual([fromAgent.message.id]);
    expect(h2Seen.map((m) => m.id)).toEqual([fromHuman.message.id, fromAgent.message.id]);
    expect(a1Seen.map((m) => m.id)).toEqual([fromHuman.message.id]);
    expect(a2Seen.map((m) => m.id)).toEqual([fromHuman.message.id]);
  });

  it('does not deliver to bystanders', async () => {
    const spectator = await connect(t.url, t.adminToken);
    const seen = record(spectator, 'chat:message');
    const h = await connect(t.url, alice.token);
    await call(h, 'chat:send', { targetId: agent.id, text: 'private' });
    await sleep(150);
    expect(seen).toEqual([]);
  });

  it('returns the stored message for a repeated localId, also when resent concurrently from several sockets', async () => {
    const s1 = await connect(t.url, alice.token);
    const s2 = await connect(t.url, alice.token);
    const a = await connect(t.url, agent.token);
    const got = record(a, 'chat:message');
    const first = await call(s1, 'chat:send', { targetId: agent.id, text: 'once', localId: 'L-1' });
    const again = await call(s2, 'chat:send', { targetId: agent.id, text: 'once (changed)', localId: 'L-1' });
    expect(again.message).toEqual(first.message);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? s1 : s2, 'chat:send', { targetId: agent.id, text: 'race', localId: 'L-2' }),
      ),
    );
    expect(new Set(burst.map((r) => r.message.id)).size).toBe(1);
    // Mixed batch: a duplicate does not cost the other messages their place.
    const mixed = await Promise.all([
      call(s1, 'chat:send', { targetId: agent.id, text: 'm1', localId: 'L-3' }),
      call(s1, 'chat:send', { targetId: agent.id, text: 'dup', localId: 'L-1' }),
      call(s2, 'chat:send', { targetId: agent.id, text: 'm2' }),
    ]);
    expect(mixed.map((r) => r.ok)).toEqual([true, true, true]);
    expect(mixed[1].message.id).toBe(first.message.id);
    await sleep(150);
    const texts = (await history(alice.token, agent.id, { limit: 200 })).body.items.map(
      (m: ChatMessageDto) => m.localId,
    );
    expect(texts.filter((l: string | null) => l === 'L-1')).toHaveLength(1);
    expect(texts.filter((l: string | null) => l === 'L-2')).toHaveLength(1);
    // Stored once each: every push of one localId is the same row (a resend is pushed again; clients drop known ids).
    const byLocal = new Map<string, Set<number>>();
    for (const m of got) byLocal.set(m.localId ?? m.text, (byLocal.get(m.localId ?? m.text) ?? new Set()).add(m.id));
    expect([...byLocal.keys()].sort()).toEqual(['L-1', 'L-2', 'L-3', 'm2']);
    expect([...byLocal.values()].map((ids) => ids.size)).toEqual([1, 1, 1, 1]);
  });

  it('pushes a resent message again, so a receiver gets it live even when the node that stored it died before pushing', async () => {
    const a = await connect(t.url, agent.token);
    const h = await connect(t.url, alice.token);
    const got = record(a, 'chat:message');
    // What a node killed between its commit and its push leaves behind: the row, never delivered.
    const rows = t.app.get(DataSource).getRepository(ChatMessage);
    const res = await rows.insert({
      senderId: alice.user.id,
      senderName: 'alice',
      senderKind: 'MEMBER',
      targetId: agent.id,
      conversationId: null,
      localId: 'L-died',
      streamId: null,
      text: 'committed, then the node died',
      turnNode: null,
      replyTo: null,
    });
    const id = Number(res.identifiers[0].id);
    await sleep(100);
    expect(got).toEqual([]);
    // The sender never got its ack, so it resends with the same localId (here to a live node).
    const ack = await call(h, 'chat:send', {
      targetId: agent.id,
      text: 'committed, then the node died',
      localId: 'L-died',
    });
    expect(ack.message.id).toBe(id);
    await sleep(100);
    expect(got.map((m) => m.id)).toEqual([id]);
    expect(await rows.countBy({ senderId: alice.user.id, localId: 'L-died' })).toBe(1);
  });

  it('keeps the order: ids increase in the order one socket sent, and arrive in that order', async () => {
    const h = await connect(t.url, bob.token);
    const a = await connect(t.url, agent.token);
    const got = record(a, 'chat:message');
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(h, 'chat:send', { targetId: agent.id, text: `n${i}` })),
    );
    const ids = acks.map((r) => r.message.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    await sleep(200);
    expect(got.map((m) => m.text)).toEqual(acks.map((r) => r.message.text));
  });

  it('relays chunks and end to the target without storing them; the final send with the streamId is stored', async () => {
    const a = await connect(t.url, agent.token);
    const h = await connect(t.url, alice.token);
    const chunks = record(h, 'chat:chunk');
    const end = waitFor(h, 'chat:end');
    for (const piece of ['Hel', 'lo'])
      expect(
        await call(a, 'chat:chunk', { targetId: alice.user.id, streamId: 'st-1', text: piece, senderId: 1 }),
      ).toEqual({ ok: true });
    const final = await call(a, 'chat:send', { targetId: alice.user.id, text: 'Hello', streamId: 'st-1' });
    expect(await call(a, 'chat:end', { targetId: alice.user.id, streamId: 'st-1' })).toEqual({ ok: true });
    expect(await end).toEqual({ targetId: alice.user.id, streamId: 'st-1', senderId: agent.id, senderKind: 'AGENT' });
    expect(chunks).toEqual([
      { targetId: alice.user.id, streamId: 'st-1', text: 'Hel', senderId: agent.id, senderKind: 'AGENT' },
      { targetId: alice.user.id, streamId: 'st-1', text: 'lo', senderId: agent.id, senderKind: 'AGENT' },
    ]);
    const stored = (await history(alice.token, agent.id, { limit: 1 })).body.items;
    expect(stored).toEqual([final.message]);
    expect(stored[0].streamId).toBe('st-1');
  });

  it('validates every chat event with field details and stores nothing', async () => {
    const h = await connect(t.url, alice.token);
    const before = (await history(alice.token, agent.id, { limit: 1 })).body.items[0]?.id ?? 0;
    const cases: [string, unknown, string, string[]][] = [
      ['chat:send', 'just text', 'VALIDATION_FAILED', ['payload']],
      ['chat:send', { targetId: '5', text: '' }, 'VALIDATION_FAILED', ['targetId', 'text']],
      ['chat:send', { targetId: agent.id, text: 'x'.repeat(101) }, 'VALIDATION_FAILED', ['text']],
      [
        'chat:send',
        { targetId: agent.id, text: 'ok', localId: 'has space', streamId: 5, conversationId: -1 },
        'VALIDATION_FAILED',
        ['localId', 'streamId', 'conversationId'],
      ],
      ['chat:send', { targetId: alice.user.id, text: 'me' }, 'VALIDATION_FAILED', ['targetId']],
      ['chat:chunk', { targetId: agent.id, text: 'x' }, 'VALIDATION_FAILED', ['streamId']],
      ['chat:end', { streamId: 's' }, 'VALIDATION_FAILED', ['targetId']],
      ['chat:end', null, 'VALIDATION_FAILED', ['payload']],
    ];
    for (const [event, payload, code, fields] of cases) {
      const res = await call(h, event, payload);
      expect(res.ok).toBe(false);
      expect(res.error.code).toBe(code);
      expect(res.error.details.map((d: { field: string }) => d.field)).toEqual(fields);
    }
    expect(await call(h, 'chat:send', { targetId: 987654, text: 'nobody' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Target actor not found' },
    });
    expect((await call(h, 'chat:chunk', { targetId: 987654, streamId: 's', text: 'x' })).error.code).toBe('NOT_FOUND');
    const err = waitFor(h, 'error');
    send(h, 'chat:send', { text: 'no ack, no target' });
    expect(await err).toMatchObject({
      code: 'VALIDATION_FAILED',
      event: 'chat:send',
      details: [{ field: 'targetId', message: 'must be an integer' }],
    });
    expect((await history(alice.token, agent.id, { limit: 1 })).body.items[0]?.id ?? 0).toBe(before);
    expect((await call(h, 'chat:send', { targetId: agent.id, text: 'still works' })).ok).toBe(true);
  });

  it('pages history both ways', async () => {
    const carol = await createUser(t, 'carol');
    const c = await connect(t.url, carol.token);
    const a = await connect(t.url, agent.token);
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) {
      const from: ClientSocket = i % 3 === 2 ? a : c;
      const to = from === a ? carol.user.id : agent.id;
      ids.push((await call(from, 'chat:send', { targetId: to, text: `h${i}` })).message.id);
    }
    // Someone else's conversation with the same agent stays out.
    await call(await connect(t.url, bob.token), 'chat:send', { targetId: agent.id, text: 'not carol' });

    const newest = await history(carol.token, agent.id, { limit: 4 });
    expect(newest.body.items.map((m: ChatMessageDto) => m.id)).toEqual(ids.slice(5).reverse());
    expect(newest.body.nextCursor).toBe(ids[5]);
    const older = await history(carol.token, agent.id, { limit: 4, before: newest.body.nextCursor });
    expect(older.body.items.map((m: ChatMessageDto) => m.id)).toEqual(ids.slice(1, 5).reverse());
    const last = await history(carol.token, agent.id, { limit: 4, before: older.body.nextCursor });
    expect(last.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const forward = await history(carol.token, agent.id, { after: ids[2], limit: 3 });
    expect(forward.body.items.map((m: ChatMessageDto) => m.id)).toEqual(ids.slice(3, 6));
    // The agent sees the same conversation from its side.
    const agentSide = await history(agent.token, carol.user.id, { limit: 50 });
    expect(agentSide.body.items.map((m: ChatMessageDto) => m.id)).toEqual([...ids].reverse());

    const bad = await history(carol.token, agent.id, { before: 5, after: 1 });
    expect(bad.status).toBe(400);
    expect((await history(carol.token, agent.id, { limit: 0 })).status).toBe(400);
    expect((await t.http().get(`/api/chat/${agent.id}/messages`)).status).toBe(401);
  });

  it('lets a reconnecting client catch up with after=<last id it has>', async () => {
    const dave = await createUser(t, 'dave');
    const a = await connect(t.url, agent.token);
    let d = await connect(t.url, dave.token);
    const seen: ChatMessageDto[] = [];
    d.on('chat:message', (m) => seen.push(m));
    await call(a, 'chat:send', { targetId: dave.user.id, text: 'before drop' });
    await sleep(100);
    d.close();
    for (const text of ['missed 1', 'missed 2', 'missed 3'])
      await call(a, 'chat:send', { targetId: dave.user.id, text });
    d = await connect(t.url, dave.token);
    d.on('chat:message', (m) => seen.push(m));
    const lastId = seen[seen.length - 1].id;
    const missed = await history(dave.token, agent.id, { after: lastId });
    expect(missed.body.items.map((m: ChatMessageDto) => m.text)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    const live = waitFor(d, 'chat:message');
    await call(a, 'chat:send', { targetId: dave.user.id, text: 'live again' });
    expect((await live).text).toBe('live again');
  });

  it("hands a message for the Butler to 'chat.toButler' as stored once (its resend as not stored)", async () => {
    const { DomainEventBus } = await import('../src/events/domain-event-bus');
    const events = t.app.get(DomainEventBus);
    const toButler: string[] = [];
    const sub = events.on(
      'chat.toButler',
      'test',
      ({ stored, sender }) => void stored.then((m) => toButler.push(`${sender.name}:${m?.text ?? '(not stored)'}`)),
    );
    const h = await connect(t.url, alice.token);
    await call(h, 'chat:send', { targetId: butlerId, text: 'hello butler', localId: 'B-1' });
    await call(h, 'chat:send', { targetId: butlerId, text: 'hello butler', localId: 'B-1' });
    await sleep(100);
    sub.unsubscribe();
    expect(toButler.filter((s) => s.startsWith('alice:'))).toEqual(['alice:hello butler', 'alice:(not stored)']);
  });
});
