import type { ApprovalRequestedEvent, ApprovalUpdatedEvent, ChatMessageDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { startTestApp, type TestApp } from './support/test-app';

const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];
/** "2026-12-05T21:13:30.095Z" and its relatives: never in a sentence people read. */
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * What a thread hears without anyone asking — an approval rejected, expired or run — is said in the thread's
 * language: the one its console last sent (chat:send `locale`), kept on the thread. No sentence has a timestamp.
 */
describe("the Butler's notices follow the thread's language (offline brain)", () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let agent: Awaited<ReturnType<typeof startAgent>>;

  beforeAll(async () => {
    t = await startTestApp({ APPROVAL_TTL: '3s', APPROVAL_WARN_BEFORE: '1s', SWEEP_INTERVAL_MS: '100' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'freed 2 GB' }));
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  const butlerSays = (thread: number, what: (text: string) => boolean, timeoutMs = 6000) =>
    admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.senderId === butler && what(m.text),
      timeoutMs,
    );
  const request = async (thread: number, text: string, locale?: string) => {
    const command = text.replace(/^.*(执行|to) /, '');
    const requested = admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread && a.command === command,
    );
    await ask(admin, butler, thread, text, 8000, locale ? { locale } : {});
    return (await requested).id;
  };
  const decide = (id: number, body: Record<string, unknown>) =>
    t
      .http()
      .post(`/api/approvals/${id}/decision`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .send(body)
      .expect(200);
  const butlerTexts = async (thread: number) => {
    const page = await t
      .http()
      .get(`/api/conversations/${thread}/messages?limit=100`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    return (page.body.items as ChatMessageDto[]).filter((m) => m.senderId === butler).map((m) => m.text);
  };

  it('中文: a rejected, an expired and an approved request are told in Chinese, with no timestamp anywhere', async () => {
    const thread = await newThread(t, t.adminToken);
    // The console said 中文 once; the English phrase that follows is still answered, and told, in Chinese.
    const rejected = await request(thread, '让 Storage-Custodian 执行 clean /tmp', 'zh-CN');
    await decide(rejected, { approved: false, reason: '不是现在' });
    const no = await butlerSays(thread, (text) => text.startsWith(`审批 #${rejected}`));
    expect(no.text).toBe(
      `审批 #${rejected}（Storage-Custodian 上的“clean /tmp”）已被 admin 拒绝（理由：不是现在）。没有执行任何操作。`,
    );

    const expiring = await request(thread, 'ask Storage-Custodian to clean /var/tmp', 'zh-CN');
    await admin.waitFor<ApprovalUpdatedEvent>(
      'approval:updated',
      (u) => u.id === expiring && u.status === 'EXPIRED',
      6000,
    );
    const lapsed = await butlerSays(thread, (text) => text.startsWith(`审批 #${expiring}`));
    expect(lapsed.text).toBe(
      `审批 #${expiring}（Storage-Custodian 上的“clean /var/tmp”）无人决定，已过期。没有执行任何操作。`,
    );

    const approved = await request(thread, '让 Storage-Custodian 执行 clean /srv', 'zh-CN');
    await decide(approved, { approved: true });
    const ran = await butlerSays(thread, (text) => text.startsWith(`审批 #${approved}`));
    expect(ran.text).toBe(
      `审批 #${approved}：Storage-Custodian 上的“clean /srv”已被 admin 批准，已执行。Storage-Custodian 的输出见上方的审批卡片。`,
    );

    const texts = await butlerTexts(thread);
    expect(texts.length).toBeGreaterThanOrEqual(6);
    expect(texts.filter((text) => ISO_TIME.test(text))).toEqual([]);
    // Every sentence of the thread is Chinese: no English wrapper around the facts.
    expect(
      texts.filter((text) =>
        /\b(was|the|is|expires|approval)\b/i.test(text.replace(/Storage-Custodian|clean \S+/g, '')),
      ),
    ).toEqual([]);
  }, 30000);

  it('a thread whose console said English hears English; a thread that never said keeps English notices', async () => {
    const thread = await newThread(t, t.adminToken);
    const id = await request(thread, 'ask Storage-Custodian to clean /tmp', 'en');
    await decide(id, { approved: false });
    const no = await butlerSays(thread, (text) => text.startsWith(`Approval #${id} for`));
    expect(no.text).toBe(
      `Approval #${id} for "clean /tmp" on Storage-Custodian was rejected by admin. Nothing was run.`,
    );
    const silent = await newThread(t, t.adminToken);
    const other = await request(silent, 'ask Storage-Custodian to clean /opt');
    await decide(other, { approved: false });
    await butlerSays(silent, (text) => text.startsWith(`Approval #${other} for "clean /opt"`));
  }, 20000);

  it("the offline brain's tool outcomes are Chinese too (an unknown agent, recent errors with times in words)", async () => {
    const thread = await newThread(t, t.adminToken);
    const zh = (text: string) => ask(admin, butler, thread, text, 8000, { locale: 'zh-CN' });
    await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${agent.token}`)
      .send({ level: 'ERROR', content: 'disk failing' })
      .expect(201);
    const errors = await zh('最近的错误');
    expect(errors.text).toMatch(
      /• \d+ 秒[钟]?前 Storage-Custodian: disk failing|• 现在 Storage-Custodian: disk failing/,
    );
    expect(errors.text).not.toMatch(/\d{4}-\d\d-\d\d/);
    const reply = await zh('让 Nobody-Here 执行 clean /tmp');
    expect(reply.text).toBe('没有名为 Nobody-Here 的智能体。');
  }, 20000);
});

describe('the model reads deadlines as seconds, never as a timestamp it could repeat', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ record: true });
    t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    admin = await connect(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    await t?.close();
    await fake?.close();
  });

  it("command_agent answers APPROVAL_REQUIRED with untilInSeconds and a message in the operator's language", async () => {
    const agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'ok' }));
    try {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      await ask(
        admin,
        butler,
        thread,
        '清理 /tmp [[tool:command_agent {"agentId":"Storage-Custodian","command":"clean /tmp","reasoning":"disk full"}]]',
        8000,
        { locale: 'zh-CN' },
      );
      const tool = fake.requests.flatMap((r) =>
        r.messages.filter((m) => m.role === 'tool').map((m) => String(m.content)),
      );
      expect(tool).toHaveLength(1);
      expect(tool[0]).not.toMatch(ISO_TIME);
      const data = (JSON.parse(tool[0]!) as { untrusted_data: Record<string, unknown> }).untrusted_data;
      expect(data).toMatchObject({ status: 'APPROVAL_REQUIRED', untilInSeconds: expect.any(Number) });
      expect(data.untilInSeconds as number).toBeGreaterThan(60);
      expect(data.message).toMatch(
        /^已发起审批 #\d+：Storage-Custodian 上的“clean \/tmp”在管理员批准后执行（\d+ 分钟后过期）/,
      );
    } finally {
      agent.probe.close();
    }
  }, 20000);

  it("a model failure is told in the thread's language, like everything else the Butler says there", async () => {
    const butler = await butlerId(t, t.adminToken);
    const zh = await ask(admin, butler, await newThread(t, t.adminToken), '[[error:429]] 在吗？', 8000, {
      locale: 'zh-CN',
    });
    expect(zh.text).toContain('⚠️ 语言模型当前正在限制请求频率');
    const en = await ask(admin, butler, await newThread(t, t.adminToken), '[[error:429]] there?', 8000, {
      locale: 'en',
    });
    expect(en.text).toContain('⚠️ The language model is rate-limiting requests right now');
  });
});
