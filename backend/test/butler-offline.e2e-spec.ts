import type { ChatMessageDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi } from './fakes/fake-openai';
import { confirmReadOnly, registerAgent, startTestApp, type TestApp } from './support/test-app';

/** The default install: no model configured, the deterministic offline brain over the same tools. */
describe('offline Butler (no model configured)', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let thread: number;
  let agent: Awaited<ReturnType<typeof startAgent>>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    thread = await newThread(t, t.adminToken);
    agent = await startAgent(
      t,
      'Storage-Custodian',
      [
        { name: 'get_status', readOnly: true },
        { name: 'clean', args: '<path>' },
      ],
      () => ({ ok: true, result: 'disk 42% used' }),
    );
    await confirmReadOnly(t, agent.id, 'get_status');
    await registerAgent(t, 'Weather-Sentinel');
    const log = (level: string, content: string) =>
      t.http().post('/api/logs').set('authorization', `Bearer ${agent.token}`).send({ level, content }).expect(201);
    await log('ERROR', 'disk /dev/sda1 failing');
    await log('INFO', 'all quiet');
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  it('says "offline" in GET /api/butler', async () => {
    const res = await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`);
    expect(res.body.brain).toBe('offline');
  });

  it('help: lists what it understands and says plainly it runs without a model', async () => {
    const reply = await ask(admin, butler, thread, 'help');
    expect(reply.text).toContain('without a language model');
    expect(reply.text).toContain('list agents');
    expect(reply.text).toContain('ask <agent> to <command>');
  });

  it('streams its answers like a model would', async () => {
    const reply = await ask(admin, butler, thread, 'help');
    const chunks = admin.all<{ streamId: string; text: string }>('chat:chunk', (c) => c.streamId === reply.streamId);
    // The answer is known at once, so its pieces leave together; they still come before the stored message.
    expect(chunks.length).toBeGreaterThan(0);
    expect(
      chunks
        .map((c) => c.text)
        .join('')
        .trim(),
    ).toBe(reply.text);
    const order = admin.seen
      .filter((e) => (e.data as { streamId?: string })?.streamId === reply.streamId)
      .map((e) => e.event);
    expect(order.indexOf('chat:chunk')).toBeLessThan(order.indexOf('chat:message'));
  });

  it('list agents', async () => {
    const reply = await ask(admin, butler, thread, 'list agents');
    expect(reply.text).toContain('2 agent(s), 1 online');
    expect(reply.text).toMatch(/Storage-Custodian \(#\d+\) — online/);
    expect(reply.text).toMatch(/Weather-Sentinel \(#\d+\) — offline/);
  });

  it('status of <agent> (names match loosely)', async () => {
    const reply = await ask(admin, butler, thread, 'status of storage custodian');
    expect(reply.text).toContain('Storage-Custodian');
    expect(reply.text).toContain('is online');
    expect(reply.text).toContain('Last report: all quiet');
    expect(reply.text).toContain('get_status (read-only), clean');
    const unknown = await ask(admin, butler, thread, 'status of nobody-at-all');
    expect(unknown.text).toContain('I know no agent called "nobody-at-all"');
  });

  it('recent errors', async () => {
    const reply = await ask(admin, butler, thread, 'recent errors');
    expect(reply.text).toContain('Storage-Custodian: disk /dev/sda1 failing');
    expect(reply.text).not.toContain('all quiet');
    const none = await ask(admin, butler, thread, 'recent errors of Weather-Sentinel');
    expect(none.text).toContain('No recent errors from Weather-Sentinel');
  });

  it('ask <agent> to <command> (read-only: runs) and <agent>: <command> (side effect: approval)', async () => {
    const ran = await ask(admin, butler, thread, 'ask Storage-Custodian to get_status');
    expect(ran.text).toContain('Storage-Custodian answered "get_status":\ndisk 42% used');
    const held = await ask(admin, butler, thread, 'Storage-Custodian: clean /tmp');
    expect(held.text).toContain('needs a human approval first');
    expect(held.text).toMatch(/Approval #\d+ was requested/);
    expect(agent.runs.map((r) => r.command)).toEqual(['get_status']);
    const pending = await t.http().get('/api/approvals?status=PENDING').set('authorization', `Bearer ${t.adminToken}`);
    expect(pending.body.items[0]).toMatchObject({ command: 'clean /tmp', agentName: 'Storage-Custodian' });
  });

  it('answers what it does not understand with the help and the no-model notice', async () => {
    const reply: ChatMessageDto = await ask(admin, butler, thread, 'what is the meaning of life?');
    expect(reply.text).toContain('I did not understand that.');
    expect(reply.text).toContain('without a language model');
  });

  it('switches to a model and back when an admin changes the runtime settings, without a restart', async () => {
    const fake = await startFakeOpenAi();
    const patch = (butlerSettings: object) =>
      t.http().patch('/api/settings').set('authorization', `Bearer ${t.adminToken}`).send({ butler: butlerSettings });
    try {
      await patch({ baseUrl: fake.url, model: 'fake-butler' }).expect(200);
      const viaModel = await ask(admin, butler, thread, 'are you smart now?');
      expect(viaModel.text).toBe('You said: are you smart now?');
      expect((await t.http().get('/api/butler').set('authorization', `Bearer ${t.adminToken}`)).body.brain).toBe(
        'fake-butler',
      );
      await patch({ baseUrl: null, model: null }).expect(200);
      const offline = await ask(admin, butler, thread, 'help');
      expect(offline.text).toContain('without a language model');
    } finally {
      await fake.close();
    }
  });

  describe("in the operator's language (chat:send locale, else guessed from the text)", () => {
    const zh = (text: string) => ask(admin, butler, thread, text, 8000, { locale: 'zh-CN' });

    it('列出智能体 / 查看 X 的状态 / 最近的错误: Chinese phrases, Chinese answers', async () => {
      const fleet = await zh('列出智能体');
      expect(fleet.text).toContain('共 2 个智能体，1 个在线：');
      expect(fleet.text).toMatch(/Storage-Custodian（#\d+）—— 在线/);
      const status = await zh('查看 Storage-Custodian 的状态');
      expect(status.text).toContain('最近报告：all quiet');
      expect(status.text).toContain('get_status（只读）, clean');
      const errors = await zh('最近的错误');
      expect(errors.text).toContain('最近错误：');
      expect(errors.text).toContain('disk /dev/sda1 failing');
    });

    it('a request that needs an approval says when it expires in words, never as a timestamp', async () => {
      const en = await ask(admin, butler, thread, 'ask Storage-Custodian to clean /var/tmp', 8000, { locale: 'en' });
      expect(en.text).toMatch(/it expires in \d+ minutes/);
      const zh = await ask(admin, butler, thread, '让 Storage-Custodian 执行 clean /var/cache', 8000, {
        locale: 'zh-CN',
      });
      expect(zh.text).toMatch(/已发起审批 #\d+：管理员批准后执行（\d+ 分钟后过期）/);
      for (const text of [en.text, zh.text]) expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    });

    it('让 X 执行 Y runs a read-only command and reports in Chinese', async () => {
      const reply = await zh('让 Storage-Custodian 执行 get_status');
      expect(reply.text).toContain('Storage-Custodian 对“get_status”的回答');
      expect(reply.text).toContain('disk 42% used');
    });

    it('the same English phrase answers in Chinese when the console is in Chinese, and in English when it is not', async () => {
      expect((await zh('help')).text).toContain('离线模式');
      expect((await ask(admin, butler, thread, 'help', 8000, { locale: 'en' })).text).toContain('offline mode');
    });

    it('without a locale (an older client, the plain WebSocket) a Chinese message gets a Chinese answer', async () => {
      expect((await ask(admin, butler, thread, '帮助')).text).toContain('离线模式');
    });

    it('refuses a locale the console does not have, naming the field', async () => {
      const ack = await admin.emit<{ ok: boolean; error?: { code: string; details?: Array<{ field: string }> } }>(
        'chat:send',
        { targetId: butler, text: 'help', conversationId: thread, locale: 'fr' },
      );
      expect(ack.ok).toBe(false);
      expect(ack.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'locale' })],
      });
    });
  });
});
