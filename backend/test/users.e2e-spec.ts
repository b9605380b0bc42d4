import { createUser, startTestApp, type TestApp } from './support/test-app';

describe('users and roles', () => {
  let t: TestApp;
  let member: { user: { id: number }; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    member = await createUser(t, 'member-one');
  });
  afterAll(() => t.close());

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  it('creates users with unique, case-insensitive usernames', async () => {
    const res = await t.http().post('/api/users').set(admin()).send({ username: 'Bob', password: 'bob-pass-123' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'Bob', role: 'MEMBER', disabled: false });
    const dup = await t.http().post('/api/users').set(admin()).send({ username: 'bOB', password: 'other-pass-1' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'CONFLICT', details: [{ field: 'username', message: 'already taken' }] });
    const login = await t.login('BOB', 'bob-pass-123');
    expect(login.user.username).toBe('Bob');
  });

  it('changes role, resets password, disables and deletes', async () => {
    const { user } = await createUser(t, 'carol');
    const promoted = await t.http().patch(`/api/users/${user.id}`).set(admin()).send({ role: 'ADMIN' });
    expect(promoted.body.role).toBe('ADMIN');
    await t.http().patch(`/api/users/${user.id}`).set(admin()).send({ password: 'new-carol-pass' }).expect(200);
    expect(
      (await t.http().post('/api/auth/login').send({ username: 'carol', password: 'member-pass-123' })).status,
    ).toBe(401);
    expect((await t.login('carol', 'new-carol-pass')).user.role).toBe('ADMIN');
    const disabled = await t.http().patch(`/api/users/${user.id}`).set(admin()).send({ disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect(
      (await t.http().post('/api/auth/login').send({ username: 'carol', password: 'new-carol-pass' })).status,
    ).toBe(401);
    await t.http().delete(`/api/users/${user.id}`).set(admin()).expect(204);
    const list = await t.http().get('/api/users').set(admin()).expect(200);
    expect(list.body.map((u: { username: string }) => u.username)).not.toContain('carol');
    expect((await t.http().delete(`/api/users/${user.id}`).set(admin())).status).toBe(404);
  });

  it('never removes, disables or demotes the last admin', async () => {
    const me = await t.http().get('/api/auth/me').set(admin());
    const id = me.body.id;
    for (const body of [{ role: 'MEMBER' }, { disabled: true }]) {
      const res = await t.http().patch(`/api/users/${id}`).set(admin()).send(body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
    }
    expect((await t.http().delete(`/api/users/${id}`).set(admin())).status).toBe(409);
    expect((await t.http().get('/api/auth/me').set(admin())).body.role).toBe('ADMIN');
  });

  it('refuses every admin route to a MEMBER with 403 and to nobody with 401', async () => {
    const agentId = (await t.http().post('/api/agents').set(admin()).send({ name: 'Role-Probe' })).body.agent.id;
    const routes: Array<[string, string, object?]> = [
      ['get', '/api/users'],
      ['post', '/api/users', { username: 'sneaky', password: 'sneaky-pass-1' }],
      ['patch', `/api/users/${member.user.id}`, { role: 'ADMIN' }],
      ['delete', `/api/users/${member.user.id}`],
      ['post', '/api/agents', { name: 'Sneaky-Agent' }],
      ['post', `/api/agents/${agentId}/token`],
      ['delete', `/api/agents/${agentId}`],
      ['post', '/api/agents/test-connection', { token: 'x' }],
    ];
    for (const [method, path, body] of routes) {
      const call = (t.http() as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path);
      const res = await call.set('authorization', `Bearer ${member.token}`).send(body ?? {});
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
      const anon = await (t.http() as unknown as Record<string, (p: string) => import('supertest').Test>)
        [method](path)
        .send(body ?? {});
      expect([method, path, anon.status]).toEqual([method, path, 401]);
    }
    // Nothing the member tried took effect.
    expect((await t.http().get(`/api/agents/${agentId}`).set(admin())).status).toBe(200);
    const users = (await t.http().get('/api/users').set(admin())).body as Array<{
      username: string;
      role: string;
      id: number;
    }>;
    expect(users.find((u) => u.username === 'sneaky')).toBeUndefined();
    expect(users.find((u) => u.id === member.user.id)?.role).toBe('MEMBER');
  });

  it('lets a MEMBER read agents, logs and the Butler', async () => {
    for (const path of ['/api/agents', '/api/logs', '/api/butler', '/api/auth/me']) {
      const res = await t.http().get(path).set('authorization', `Bearer ${member.token}`);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });
});
