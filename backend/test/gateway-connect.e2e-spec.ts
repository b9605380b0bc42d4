import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { call, closeAll, connect, record, refused, send, sleep, waitFor } from './support/sockets';

describe('gateway: handshake, guard and revocation', () => {
  let t: TestApp;
  let member: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    t = await startTestApp({
      SOCKET_RATE_PER_SEC: '20',
      SOCKET_RATE_BURST: '10',
      SOCKET_MAX_PAYLOAD: '4096',
      CHAT_MAX_TEXT: '3000',
    });
    member = await createUser(t, 'member-1');
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('refuses a missing, malformed or unknown token with connect_error UNAUTHORIZED', async () => {
    for (const token of [undefined, '', 'ec_not-a-real-token', 'a.b.c', `${t.adminToken}x`]) {
      const err = await refused(t.url, token);
      expect(err.data).toEqual({ code: 'UNAUTHORIZED' });
    }
  });

  it('accepts a human JWT and an agent token', async () => {
    const agent = await registerAgent(t, 'conn-agent');
    const h = await connect(t.url, member.token);
    const a = await connect(t.url, agent.token);
    expect(h.connected && a.connected).toBe(true);
  });

  it('refuses a disabled user', async () => {
    const u = await createUser(t, 'soon-disabled');
    await t
      .http()
      .patch(`/api/users/${u.user.id}`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .send({ disabled: true })
      .expect(200);
    expect((await refused(t.url, u.token)).data).toEqual({ code: 'UNAUTHORIZED' });
  });

  it('answers an unknown event with UNKNOWN_EVENT by ack, or by error event without one, and stays usable', async () => {
    const h = await connect(t.url, member.token);
    expect(await call(h, 'chat:delete', { id: 1 })).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_EVENT', message: 'Unknown event "chat:delete"' },
    });
    const err = waitFor(h, 'error');
    send(h, 'nope', 1);
    expect(await err).toEqual({ code: 'UNKNOWN_EVENT', message: 'Unknown event "nope"', event: 'nope' });
    const ok = await call(h, 'chat:send', { targetId: (await registerAgent(t, 'still-ok')).id, text: 'fine' });
    expect(ok.ok).toBe(true);
  });

  it('answers a frame over the payload cap with PAYLOAD_TOO_LARGE and keeps the socket', async () => {
    const agent = await registerAgent(t, 'big-target');
    const h = await connect(t.url, member.token);
    // 2000 three-byte characters: within the 3000-character text cap, over the 4096-byte frame cap.
    const res = await call(h, 'chat:send', { targetId: agent.id, text: '€'.repeat(2000) });
    expect(res).toEqual({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'Payload is larger than 4096 bytes' },
    });
    const small = await call(h, 'chat:send', { targetId: agent.id, text: 'small' });
    expect(small.ok).toBe(true);
    const history = await t.http().get(`/api/chat/${agent.id}/messages`).set('authorization', `Bearer ${member.token}`);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['small']);
  });

  it('closes the connection on a frame beyond the transport hard cap (2 x payload cap)', async () => {
    const h = await connect(t.url, member.token);
    const gone = new Promise<string>((resolve) => h.once('disconnect', resolve));
    send(h, 'chat:send', { targetId: 1, text: 'x'.repeat(9000) });
    expect(await gone).toBe('transport close');
  });

  it('rate-limits each actor with one token bucket shared by its sockets, and recovers', async () => {
    const agent = await registerAgent(t, 'rl-target');
    const h = await connect(t.url, member.token);
    const sameUser = await connect(t.url, member.token);
    const other = await connect(t.url, (await createUser(t, 'rl-other')).token);
    // One burst over two sockets of the same user: they draw on one bucket of 10 (two buckets would let ~20 pass).
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        call(i % 2 ? sameUser : h, 'chat:chunk', { targetId: agent.id, streamId: 's1', text: `${i}` }),
      ),
    );
    const limited = results.filter((r) => !r.ok);
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(10);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0].error.code).toBe('RATE_LIMITED');
    // Another user has a bucket of their own.
    expect((await call(other, 'chat:chunk', { targetId: agent.id, streamId: 's1', text: 'x' })).ok).toBe(true);
    await sleep(300);
    expect((await call(h, 'chat:chunk', { targetId: agent.id, streamId: 's1', text: 'later' })).ok).toBe(true);
  });

  it('sends one RATE_LIMITED error event per second to a flooding socket without acks', async () => {
    const agent = await registerAgent(t, 'flood-target');
    const h = await connect(t.url, member.token);
    const errors = record(h, 'error');
    for (let i = 0; i < 60; i++) send(h, 'chat:chunk', { targetId: agent.id, streamId: 's', text: 'x' });
    await sleep(400);
    expect(errors.map((e) => e.code)).toEqual(['RATE_LIMITED']);
    expect(errors[0].event).toBe('chat:chunk');
  });

  it('disconnects an agent at once when its token is rotated, and refuses the old token', async () => {
    const agent = await registerAgent(t, 'rotate-me');
    const a1 = await connect(t.url, agent.token);
    const a2 = await connect(t.url, agent.token);
    const gone = Promise.all([a1, a2].map((s) => new Promise<string>((r) => s.once('disconnect', r))));
    const res = await t
      .http()
      .post(`/api/agents/${agent.id}/token`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await refused(t.url, agent.token)).data).toEqual({ code: 'UNAUTHORIZED' });
    const fresh = await connect(t.url, res.body.token);
    expect(fresh.connected).toBe(true);
  });

  it('disconnects a deleted agent', async () => {
    const agent = await registerAgent(t, 'delete-me');
    const a = await connect(t.url, agent.token);
    const gone = new Promise<string>((r) => a.once('disconnect', r));
    await t.http().delete(`/api/agents/${agent.id}`).set('authorization', `Bearer ${t.adminToken}`).expect(204);
    expect(await gone).toBe('io server disconnect');
    expect((await refused(t.url, agent.token)).data).toEqual({ code: 'UNAUTHORIZED' });
  });
});
