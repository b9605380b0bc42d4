/** Graceful shutdown in-process (SQLite or MySQL): the drain steps one by one, fast enough for every run. */
import { DrainGateway } from '../src/lifecycle/drain.gateway';
import { registerAgent, startTestApp, type TestApp, createUser } from './support/test-app';
import { call, closeAll, connect } from './support/sockets';

describe('graceful shutdown (drain)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    closeAll();
    await t.close();
  });

  it('turns health 503, refuses new events with UNAVAILABLE, then closes sockets so clients reconnect', async () => {
    const alice = await createUser(t, 'drain-alice');
    const agent = await registerAgent(t, 'drain-bot');
    const h = await connect(t.url, alice.token);
    const ok = await call(h, 'chat:send', { targetId: agent.id, text: 'before', localId: 'd-1' });
    expect(ok.ok).toBe(true);
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(200);

    const drain = t.app.get(DrainGateway);
    // Keep the listener open for the assertions below: begin() would close it, so ask the state directly.
    (drain as unknown as { state: { begin(): void } }).state.begin();
    const draining = await t.http().get('/api/health');
    expect(draining.status).toBe(503);
    const refused = await call(h, 'chat:send', { targetId: agent.id, text: 'during', localId: 'd-2' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('shutting down') },
    });

    const reason = new Promise<string>((resolve) => h.once('disconnect', resolve));
    await drain.drain();
    // "transport close" is the reason every client reconnects on (not "io server disconnect").
    expect(await reason).toBe('transport close');
    const history = await t.http().get(`/api/chat/${agent.id}/messages`).set('authorization', `Bearer ${alice.token}`);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['before']);
  });
});
