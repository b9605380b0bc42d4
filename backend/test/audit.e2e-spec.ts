import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

describe('admin audit trail (GET /api/audit)', () => {
  let t: TestApp;
  let member: { user: { id: number }; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    member = await createUser(t, 'audit-member');
  });
  afterAll(() => t.close());

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  it('records who changed which user and how, newest first, never a password', async () => {
    const created = await t
      .http()
      .post('/api/users')
      .set(admin())
      .send({ username: 'dave', password: 'dave-pass-123' })
      .expect(201);
    await t
      .http()
      .patch(`/api/users/${created.body.id}`)
      .set(admin())
      .send({ role: 'ADMIN', password: 'dave-new-pass' })
      .expect(200);
    await t.http().delete(`/api/users/${created.body.id}`).set(admin()).expect(204);

    const res = await t.http().get('/api/audit').query({ targetType: 'user' }).set(admin()).expect(200);
    const mine = res.body.items.filter((e: { targetId: number }) => e.targetId === created.body.id);
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['user.deleted', 'user.updated', 'user.created']);
    expect(mine[1]).toMatchObject({
      actorName: 'admin',
      targetType: 'user',
      targetName: 'dave',
      details: { role: 'ADMIN', password: 'reset' },
    });
    expect(JSON.stringify(res.body)).not.toContain('dave-new-pass');
  });

  it('records registering an agent, rotating its token and deleting it, never the token (issue 19, hole 7f)', async () => {
    const registered = await t
      .http()
      .post('/api/agents')
      .set(admin())
      .send({ name: 'Audited-Agent', description: 'under watch' })
      .expect(201);
    const rotated = await t.http().post(`/api/agents/${registered.body.agent.id}/token`).set(admin()).expect(200);
    await t.http().delete(`/api/agents/${registered.body.agent.id}`).set(admin()).expect(204);

    const res = await t.http().get('/api/audit').query({ targetType: 'agent' }).set(admin()).expect(200);
    const mine = res.body.items.filter((e: { targetId: number }) => e.targetId === registered.body.agent.id);
    expect(mine.map((e: { action: string }) => e.action)).toEqual([
      'agent.deleted',
      'agent.token_rotated',
      'agent.registered',
    ]);
    for (const entry of mine)
      expect(entry).toMatchObject({ actorName: 'admin', targetType: 'agent', targetName: 'Audited-Agent' });
    const text = JSON.stringify(res.body);
    for (const token of [registered.body.token as string, rotated.body.token as string])
      expect(text).not.toContain(token);
  });

  it('pages with a keyset cursor', async () => {
    for (const name of ['pager-1', 'pager-2', 'pager-3'])
      await t.http().post('/api/users').set(admin()).send({ username: name, password: 'page-pass-123' }).expect(201);
    const first = await t.http().get('/api/audit').query({ limit: 2 }).set(admin()).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBe(first.body.items[1].id);
    const next = await t
      .http()
      .get('/api/audit')
      .query({ limit: 2, before: first.body.nextCursor })
      .set(admin())
      .expect(200);
    expect(next.body.items[0].id).toBeLessThan(first.body.nextCursor);
  });

  it('is for admins only and names a bad filter', async () => {
    expect(
      (
        await t
          .http()
          .get('/api/audit')
          .set({ authorization: `Bearer ${member.token}` })
      ).status,
    ).toBe(403);
    const agent = await registerAgent(t, 'audit-reader');
    expect(
      (
        await t
          .http()
          .get('/api/audit')
          .set({ authorization: `Bearer ${agent.token}` })
      ).status,
    ).toBe(403);
    const bad = await t.http().get('/api/audit').query({ limit: 0, action: 'DROP TABLE' }).set(admin());
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['action', 'limit']);
  });
});
