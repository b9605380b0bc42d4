import type { ConversationDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, sleep, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { createUser, startTestApp, type TestApp } from './support/test-app';

const long = (tag: string) => `${tag} ${'lorem ipsum dolor sit amet '.repeat(12)}`.trim();

describe('Butler threads and context compaction', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({
      BUTLER_BASE_URL: fake.url,
      BUTLER_MODEL: 'fake-butler',
      BUTLER_COMPACTION_THRESHOLD: '200',
      BUTLER_RECENT_MESSAGES: '2',
    });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    await t?.close();
    await fake?.close();
  });

  it('creates, renames, pins, archives, lists and deletes threads; others cannot touch them', async () => {
    const created = await t.http().post('/api/conversations').set(auth()).send({});
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'New conversation',
      pinned: false,
      archived: false,
      lastMessageAt: null,
    });
    const id = created.body.id as number;
    const other = await newThread(t, t.adminToken, 'other');

    const renamed = await t
      .http()
      .patch(`/api/conversations/${id}`)
      .set(auth())
      .send({ title: 'Disk cleanup', pinned: true });
    expect(renamed.body).toMatchObject({ id, title: 'Disk cleanup', pinned: true });
    const list = (await t.http().get('/api/conversations').set(auth())).body as ConversationDto[];
    expect(list[0].id).toBe(id); // pinned first
    expect(list.map((c) => c.id)).toContain(other);

    await t.http().patch(`/api/conversations/${other}`).set(auth()).send({ archived: true }).expect(200);
    const open = (await t.http().get('/api/conversations?archived=false').set(auth())).body as ConversationDto[];
    expect(open.map((c) => c.id)).not.toContain(other);
    const archived = (await t.http().get('/api/conversations?archived=true').set(auth())).body as ConversationDto[];
    expect(archived.map((c) => c.id)).toEqual([other]);

    const bad = await t.http().patch(`/api/conversations/${id}`).set(auth()).send({ title: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const { token } = await createUser(t, 'nosy');
    await t
      .http()
      .patch(`/api/conversations/${id}`)
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'mine now' })
      .expect(404);
    await t.http().delete(`/api/conversations/${id}`).set('authorization', `Bearer ${token}`).expect(404);
    expect(
      ((await t.http().get('/api/conversations').set('authorization', `Bearer ${token}`)).body as unknown[]).length,
    ).toBe(0);

    await ask(admin, butler, other, 'something to delete');
    await t.http().delete(`/api/conversations/${other}`).set(auth()).expect(204);
    await t.http().get(`/api/conversations/${other}/messages`).set(auth()).expect(404);
  });

  it("names a new thread after the operator's first words and keeps its activity time", async () => {
    const created = await t.http().post('/api/conversations').set(auth()).send({});
    const id = created.body.id as number;
    await ask(admin, butler, id, 'Please   check the disk usage on storage nodes');
    // The bookkeeping runs right after the reply has ended.
    let thread: ConversationDto | undefined;
    for (let i = 0; i < 50 && thread?.lastMessageAt == null; i++) {
      thread = ((await t.http().get('/api/conversations').set(auth())).body as ConversationDto[]).find(
        (c) => c.id === id,
      );
      if (thread?.lastMessageAt == null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(thread).toMatchObject({ title: 'Please check the disk usage on storage nodes' });
    expect(Date.parse(thread!.lastMessageAt!)).toBeGreaterThanOrEqual(
      Date.parse(created.body.createdAt as string) - 1000,
    );
    // The thread with the newest activity comes first among the unpinned ones.
    const list = (await t.http().get('/api/conversations?archived=false').set(auth())).body as ConversationDto[];
    expect(list.filter((c) => !c.pinned)[0].id).toBe(id);
  });

  it('folds older turns into a stored summary and keeps only the recent window in the model context', async () => {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, long('first'));
    await ask(admin, butler, thread, long('second'));
    await ask(admin, butler, thread, long('third'));
    const summaries = fake.requests.filter((r) => String(r.messages[0].content).startsWith('Summarize'));
    expect(summaries.length).toBeGreaterThan(0);
    expect(JSON.stringify(summaries[0].messages)).toContain('first lorem');

    fake.requests.length = 0;
    await ask(admin, butler, thread, 'what did we discuss?');
    const turn = fake.requests.find((r) => r.stream)!;
    const contents = turn.messages.map((m) => String(m.content));
    expect(
      contents.some((c) => c.startsWith('[EchoCenter data: earlier_conversation_summary') && c.includes('SUMMARY:')),
    ).toBe(true);
    // The first exchange lives only in the summary now; the recent window is verbatim.
    expect(contents.filter((c) => c.startsWith('first lorem'))).toHaveLength(0);
    expect(contents[contents.length - 1]).toBe('what did we discuss?');
    // History for people is untouched by compaction.
    const history = await t.http().get(`/api/conversations/${thread}/messages?limit=50`).set(auth());
    expect(history.body.items).toHaveLength(8);
  });

  it('still answers when compaction fails', async () => {
    fake.options.failSummaries = true;
    try {
      const thread = await newThread(t, t.adminToken);
      for (const tag of ['one', 'two', 'three']) {
        const reply = await ask(admin, butler, thread, long(tag));
        expect(reply.text).toBe(`You said: ${long(tag)}`);
      }
      const failed = fake.requests.filter((r) => String(r.messages[0].content).startsWith('Summarize'));
      expect(failed.length).toBeGreaterThan(0);
      // No summary was stored, so the turn still carries the whole (budgeted) history.
      const last = fake.requests.filter((r) => r.stream).pop()!;
      expect(
        last.messages.some((m) => String(m.content).startsWith('[EchoCenter data: earlier_conversation_summary')),
      ).toBe(false);
    } finally {
      fake.options.failSummaries = false;
    }
  });

  it("pushes every change of a thread to its owner's other sockets, and to nobody else", async () => {
    const tab = await connect(t, t.adminToken);
    const { token } = await createUser(t, 'onlooker');
    const stranger = await connect(t, token);
    try {
      const id = (await t.http().post('/api/conversations').set(auth()).send({})).body.id as number;
      const mine = (c: ConversationDto) => c.id === id;
      await tab.waitFor<ConversationDto>('conversation:updated', (c) => mine(c) && c.title === 'New conversation');
      await t.http().patch(`/api/conversations/${id}`).set(auth()).send({ pinned: true }).expect(200);
      await tab.waitFor<ConversationDto>('conversation:updated', (c) => mine(c) && c.pinned);
      // Its first exchange gives it a title: pushed as stored, with the activity time.
      await ask(admin, butler, id, 'Is   the fleet healthy today?');
      const titled = await tab.waitFor<ConversationDto>(
        'conversation:updated',
        (c) => mine(c) && c.title === 'Is the fleet healthy today?',
      );
      expect(titled).toMatchObject({ pinned: true, archived: false });
      expect(titled.lastMessageAt).not.toBeNull();
      const updates = tab.all<ConversationDto>('conversation:updated', mine).length;
      // Later exchanges change only the activity time, which the chat:message itself tells.
      await ask(admin, butler, id, 'And tomorrow?');
      await t
        .http()
        .patch(`/api/conversations/${id}`)
        .set(auth())
        .send({ title: 'Fleet health', archived: true })
        .expect(200);
      await tab.waitFor<ConversationDto>(
        'conversation:updated',
        (c) => mine(c) && c.title === 'Fleet health' && c.archived,
      );
      expect(tab.all<ConversationDto>('conversation:updated', mine)).toHaveLength(updates + 1);
      await t.http().delete(`/api/conversations/${id}`).set(auth()).expect(204);
      expect(await tab.waitFor<{ id: number }>('conversation:removed', (r) => r.id === id)).toEqual({ id });
      await sleep(100);
      expect(stranger.all('conversation:updated')).toEqual([]);
      expect(stranger.all('conversation:removed')).toEqual([]);
    } finally {
      tab.close();
      stranger.close();
    }
  });

  it('keeps a rename made while the first exchange runs instead of titling the thread after it', async () => {
    const id = (await t.http().post('/api/conversations').set(auth()).send({})).body.id as number;
    fake.options.delayMs = 400;
    try {
      const answered = ask(admin, butler, id, 'words that must not become the title');
      // The turn holds its copy of the thread (default title) while the model thinks.
      await sleep(150);
      await t.http().patch(`/api/conversations/${id}`).set(auth()).send({ title: 'Chosen by hand' }).expect(200);
      await answered;
    } finally {
      fake.options.delayMs = 0;
    }
    await admin.waitFor<ConversationDto>('conversation:updated', (c) => c.id === id && c.lastMessageAt !== null);
    const thread = ((await t.http().get('/api/conversations').set(auth())).body as ConversationDto[]).find(
      (c) => c.id === id,
    );
    expect(thread?.title).toBe('Chosen by hand');
    expect(admin.all<ConversationDto>('conversation:updated', (c) => c.id === id).at(-1)?.title).toBe('Chosen by hand');
  });
});
