import { registerAgent, startTestApp, type TestApp } from './support/test-app';

describe('logs', () => {
  let t: TestApp;
  let a: { id: number; token: string };
  let b: { id: number; token: string };
  const LEVELS = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'] as const;

  beforeAll(async () => {
    t = await startTestApp({ LOG_MAX_CONTENT: '100' });
    a = await registerAgent(t, 'Agent-A');
    b = await registerAgent(t, 'Agent-B');
    // 60 logs, interleaved agents and levels, in a known order.
    for (let i = 0; i < 60; i++) {
      const who = i % 2 === 0 ? a : b;
      const res = await t
        .http()
        .post('/api/logs')
        .set('authorization', `Bearer ${who.token}`)
        .send({ level: LEVELS[i % 4], content: `event ${i}${i % 10 === 0 ? ' disk_full 100%' : ''}` });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  const get = (query: Record<string, string | number>) =>
    t.http().get('/api/logs').query(query).set('authorization', `Bearer ${t.adminToken}`);
  const count = async () => {
    let n = 0;
    let cursor: number | null | undefined;
    do {
      const page = await get({ limit: 200, ...(cursor ? { before: cursor } : {}) });
      n += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    return n;
  };

  it('pages backwards without duplicates or gaps', async () => {
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const res = await get({ limit: 7, ...(cursor ? { before: cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.items.map((l: { id: number }) => l.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 50);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen);
    expect(seen[0] - seen[59]).toBe(59);
  });

  it('pages forwards with after', async () => {
    const first = await get({ limit: 200 });
    const ids: number[] = first.body.items.map((l: { id: number }) => l.id).reverse();
    const res = await get({ after: ids[49], limit: 50 });
    expect(res.body.items.map((l: { id: number }) => l.id)).toEqual(ids.slice(50));
    expect(res.body.nextCursor).toBeNull();
  });

  it('filters by agent, by one or several levels, and by text', async () => {
    const byAgent = await get({ agentId: a.id, limit: 200 });
    expect(byAgent.body.items).toHaveLength(30);
    expect(byAgent.body.items.every((l: { agentId: number }) => l.agentId === a.id)).toBe(true);

    const errors = await get({ level: 'ERROR', limit: 200 });
    expect(errors.body.items).toHaveLength(15);
    const several = await get({ level: 'WARNING,ERROR', limit: 200 });
    expect(several.body.items).toHaveLength(30);
    expect(new Set(several.body.items.map((l: { level: string }) => l.level))).toEqual(new Set(['WARNING', 'ERROR']));

    const text = await get({ q: 'disk_full 100%', limit: 200 });
    expect(text.body.items.map((l: { content: string }) => l.content).sort()).toEqual(
      [0, 10, 20, 30, 40, 50].map((i) => `event ${i} disk_full 100%`).sort(),
    );
    // LIKE wildcards in the query are literal.
    expect((await get({ q: '_', limit: 200 })).body.items).toHaveLength(6);
    expect((await get({ q: '%', limit: 200 })).body.items).toHaveLength(6);
  });

  it('filters by time window', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await get({ since: future })).body.items).toHaveLength(0);
    expect((await get({ since: past, limit: 200 })).body.items).toHaveLength(60);
    expect((await get({ until: past })).body.items).toHaveLength(0);
  });

  it('answers bad input with 400 and field details, and stores nothing', async () => {
    const before = await count();
    const post = () => t.http().post('/api/logs').set('authorization', `Bearer ${a.token}`);
    const cases: Array<[string, () => Promise<import('supertest').Response>, string[]]> = [
      ['bad enum', () => post().send({ level: 'LOUD', content: 'x' }), ['level']],
      ['wrong types', () => post().send({ level: 1, content: { a: 1 } }), ['level', 'content']],
      ['unknown field', () => post().send({ level: 'INFO', content: 'x', agentId: 999 }), ['agentId']],
      ['missing', () => post().send({}), ['level', 'content']],
      ['oversize content', () => post().send({ level: 'INFO', content: 'x'.repeat(101) }), ['content']],
    ];
    for (const [name, send, fields] of cases) {
      const res = await send();
      expect([name, res.status, res.body.code]).toEqual([name, 400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
    }
    const malformed = await post().set('content-type', 'application/json').send('{"level": "INFO", "content": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'Malformed JSON body' });
    const deep = await post()
      .set('content-type', 'application/json')
      .send(`{"level":"INFO","content":"x","a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'JSON body nested deeper than 32 levels' });
    const huge = await post().send({ level: 'INFO', content: 'y'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    for (const q of [
      { limit: 0 },
      { limit: 201 },
      { before: 'abc' },
      { level: 'INFO,NOPE' },
      { since: 'yesterday' },
      { agentId: -1 },
    ]) {
      const res = await get(q as unknown as Record<string, string | number>);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.body.details.length).toBeGreaterThan(0);
    }
    expect(await count()).toBe(before);
    // Still serving.
    expect((await post().send({ level: 'SUCCESS', content: 'still fine' })).status).toBe(201);
  });

  it('lets an admin post a log but not a MEMBER', async () => {
    const res = await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${t.adminToken}`)
      .send({ level: 'INFO', content: 'maintenance at noon' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ agentId: null, agentName: 'admin' });
  });
});
