import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { call, closeAll, connect, waitFor } from './support/sockets';

describe('gateway smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    closeAll();
    await t.close();
  });

  it('human and agent chat both ways', async () => {
    const alice = await createUser(t, 'alice');
    const agent = await registerAgent(t, 'bot-1');
    const h = await connect(t.url, alice.token);
    const a = await connect(t.url, agent.token);
    const got = waitFor(a, 'chat:message');
    const ack = await call(h, 'chat:send', { targetId: agent.id, text: 'hi' });
    expect(ack.ok).toBe(true);
    expect((await got).text).toBe('hi');
    const back = waitFor(h, 'chat:message');
    const ack2 = await call(a, 'chat:send', { targetId: alice.user.id, text: 'hello human' });
    expect(ack2.ok).toBe(true);
    expect((await back).id).toBe(ack2.message.id);
  });
});
