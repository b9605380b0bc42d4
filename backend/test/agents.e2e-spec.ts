import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

describe('agents and their tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const postLog = (token: string, content = 'hello') =>
    t.http().post('/api/logs').set('authorization', `Bearer ${token}`).send({ level: 'INFO', content });

  it('shows the token once; it works as a bearer for logs; lists never show it or its hash', async () => {
    const res = await t
      .http()
      .post('/api/agents')
      .set(admin())
      .send({ name: 'Storage-Custodian', description: 'keeps files' });
    expect(res.status).toBe(201);
    const token: string = res.body.token;
    expect(token).toMatch(/^ec_[A-Za-z0-9_-]{43}$/);
    expect(res.body.agent).toMatchObject({
      name: 'Storage-Custodian',
      description: 'keeps files',
      online: false,
      status: 'OFFLINE',
      tokenHint: `ec_…${token.slice(-4)}`,
    });

    const log = await postLog(token, 'disk at 40%');
    expect(log.status).toBe(201);
    expect(log.body).toMatchObject({
      agentId: res.body.agent.id,
      agentName: 'Storage-Custodian',
      level: 'INFO',
      content: 'disk at 40%',
    });

    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(token).digest('hex');
    const member = await createUser(t, 'watcher');
    const bodies = [
      await t.http().get('/api/agents').set(admin()),
      await t.http().get(`/api/agents/${res.body.agent.id}`).set(admin()),
      await t.http().get('/api/agents').set('authorization', `Bearer ${member.token}`),
      await t.http().get('/api/logs').set(admin()),
    ].map((r) => JSON.stringify(r.body));
    for (const body of bodies) {
      expect(body).not.toContain(token);
      expect(body).not.toContain(hash);
      expect(body).not.toContain(token.slice(3, 20));
    }
    const agent = (await t.http().get(`/api/agents/${res.body.agent.id}`).set(admin())).body;
    expect(agent.lastReport).toBe('disk at 40%');
    expect(agent.lastReportAt).toEqual(expect.any(String));
  });

  it('refuses a duplicate name and bad input, storing nothing', async () => {
    await registerAgent(t, 'Echo-Bot');
    const dup = await t.http().post('/api/agents').set(admin()).send({ name: 'echo-bot' });
    expect(dup.status).toBe(409);
    const bad = await t.http().post('/api/agents').set(admin()).send({ name: '', description: 5, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['name', 'description', 'extra']),
    );
    const names = (await t.http().get('/api/agents').set(admin())).body.map((a: { name: string }) => a.name);
    expect(names.filter((n: string) => n.toLowerCase() === 'echo-bot')).toHaveLength(1);
  });

  it('kills the old token at once on rotation', async () => {
    const { id, token } = await registerAgent(t, 'Weather-Sentinel');
    expect((await postLog(token)).status).toBe(201);
    const rotated = await t.http().post(`/api/agents/${id}/token`).set(admin());
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(token);
    expect(rotated.body.agent.tokenRotatedAt).toEqual(expect.any(String));
    const old = await postLog(token);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('UNAUTHORIZED');
    expect((await postLog(rotated.body.token)).status).toBe(201);
  });

  it("kills the token on delete and keeps the agent's logs readable", async () => {
    const { id, token } = await registerAgent(t, 'Doomed-Agent');
    await postLog(token, 'last words');
    await t.http().delete(`/api/agents/${id}`).set(admin()).expect(204);
    expect((await postLog(token)).status).toBe(401);
    expect((await t.http().get(`/api/agents/${id}`).set(admin())).status).toBe(404);
    const logs = await t.http().get('/api/logs').query({ q: 'last words' }).set(admin());
    expect(logs.body.items).toHaveLength(1);
    expect(logs.body.items[0].agentName).toBe('Doomed-Agent');
  });

  it('tests a token without saying whose it is', async () => {
    const { token } = await registerAgent(t, 'Code-Reviewer-AI');
    const ok = await t.http().post('/api/agents/test-connection').set(admin()).send({ token });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ valid: true });
    const bad = await t
      .http()
      .post('/api/agents/test-connection')
      .set(admin())
      .send({ token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') });
    expect(bad.body).toEqual({ valid: false });
  });

  it('keeps agents out of human routes', async () => {
    const { token } = await registerAgent(t, 'Curious-Agent');
    expect((await t.http().get('/api/users').set('authorization', `Bearer ${token}`)).status).toBe(403);
    expect((await t.http().get('/api/agents').set('authorization', `Bearer ${token}`)).status).toBe(403);
    expect((await t.http().get('/api/logs').set('authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('serves the Butler actor created at bootstrap', async () => {
    const res = await t.http().get('/api/butler').set(admin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Butler', kind: 'BUTLER', brain: 'offline', requesterMayApprove: false });
    expect(res.body.id).toEqual(expect.any(Number));
  });
});
