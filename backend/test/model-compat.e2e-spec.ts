import type { ApprovalRequestedEvent, ButlerDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { SERVER_STYLES, startFakeOpenAi, type FakeOpenAi, type ServerStyle } from './fakes/fake-openai';
import { confirmReadOnly, startTestApp, type TestApp } from './support/test-app';

const AGENT = 'Compat-Custodian';
const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];
const command = (cmd: string) =>
  `[[tool:command_agent ${JSON.stringify({ agentId: AGENT, command: cmd, reasoning: 'compatibility check' })}]]`;

/**
 * The compatibility matrix: one Butler turn with a read-only command (with a parallel list_agents) and one
 * that needs an approval, through every server style of the fake endpoint (real openai SDK, SQLite by
 * default). Each style gets a model name of its own, so what the hub learns about one endpoint+model
 * (no tools, no streaming, no usage) does not leak into the next.
 */
describe('model compatibility matrix (fake OpenAI server styles)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });
  const useStyle = async (style: ServerStyle, tools: 'auto' | 'on' | 'off' = 'auto') => {
    fake.options.style = style;
    const res = await t
      .http()
      .patch('/api/settings')
      .set(auth())
      .send({ butler: { baseUrl: fake.url, model: `fake-${style}`, tools } });
    expect(res.status).toBe(200);
  };
  const butlerDto = async () => (await t.http().get('/api/butler').set(auth())).body as ButlerDto;
  const requestsOf = (style: ServerStyle) => fake.requests.filter((r) => r.model === `fake-${style}`);

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    custodian = await startAgent(t, AGENT, CARD, (run) => ({
      ok: true,
      result: `${run.command} done (${run.args ?? 'no args'})`,
    }));
    await confirmReadOnly(t, custodian.id, 'get_status');
  });
  afterAll(async () => {
    admin?.close();
    custodian?.probe.close();
    await t?.close();
    await fake?.close();
  });

  const withTools = SERVER_STYLES.filter((s) => s !== 'tools-refused');

  describe.each(withTools)('style %s', (style) => {
    it('read-only command (with a parallel list_agents): runs at once, the result is the answer, no thinking in it', async () => {
      await useStyle(style);
      const thread = await newThread(t, t.adminToken, `compat ${style}`);
      const runsBefore = custodian.runs.length;
      const reply = await ask(admin, butler, thread, `[[tool:list_agents]] ${command('get_status')}`);
      expect(reply.text).toMatch(/^Tool results: /);
      expect(reply.text).toContain(AGENT);
      expect(reply.text).toContain('get_status done');
      expect(reply.text).not.toMatch(/think|answer plainly/i);
      expect(custodian.runs.length).toBe(runsBefore + 1);
      expect((await butlerDto()).modelTools).toBe(true);
    });

    it('a command that needs approval: the approval is requested, nothing runs', async () => {
      await useStyle(style);
      const thread = await newThread(t, t.adminToken, `compat approval ${style}`);
      const runsBefore = custodian.runs.length;
      const reply = await ask(admin, butler, thread, command(`clean /tmp/${style}`));
      expect(reply.text).toContain('APPROVAL_REQUIRED');
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      expect(requested).toMatchObject({ status: 'PENDING', agentName: AGENT, command: `clean /tmp/${style}` });
      expect(custodian.runs.length).toBe(runsBefore);
    });
  });

  it('plain answers keep thinking out of the stored reply (reasoning_content and <think> tags)', async () => {
    for (const style of ['reasoning', 'think-tags'] as const) {
      await useStyle(style);
      const thread = await newThread(t, t.adminToken);
      const reply = await ask(admin, butler, thread, 'hello thinker');
      expect(reply.text).toBe('You said: hello thinker');
      const chunks = admin.all<{ streamId: string; text: string }>('chat:chunk', (c) => c.streamId === reply.streamId);
      expect(chunks.map((c) => c.text).join('')).toBe(reply.text);
    }
  });

  it('usage in the stream is asked for where accepted, and dropped for good once refused', async () => {
    await useStyle('openai');
    await ask(admin, butler, await newThread(t, t.adminToken), 'usage please');
    expect(requestsOf('openai').at(-1)?.stream_options).toEqual({ include_usage: true });

    await useStyle('usage-refused');
    const thread = await newThread(t, t.adminToken);
    expect((await ask(admin, butler, thread, 'first')).text).toBe('You said: first');
    expect((await ask(admin, butler, thread, 'second')).text).toBe('You said: second');
    // Since the first refusal, every request streams without stream_options.
    const sent = requestsOf('usage-refused').map((r) => Boolean(r.stream_options));
    expect(sent.lastIndexOf(true)).toBe(sent.indexOf(true));
    expect(sent.slice(-2)).toEqual([false, false]);
  });

  it('a model without streaming gets one non-streamed request after its first refusal', async () => {
    await useStyle('streaming-refused');
    const thread = await newThread(t, t.adminToken);
    expect((await ask(admin, butler, thread, 'no stream here')).text).toBe('You said: no stream here');
    const before = requestsOf('streaming-refused').length;
    expect((await ask(admin, butler, thread, 'again')).text).toBe('You said: again');
    expect(
      requestsOf('streaming-refused')
        .slice(before)
        .map((r) => Boolean(r.stream)),
    ).toEqual([false]);
  });

  describe('style tools-refused (a model without function calling)', () => {
    it('answers in words after the refusal, says so in GET /api/butler, and stops offering tools', async () => {
      await useStyle('tools-refused');
      expect((await butlerDto()).modelTools).toBeNull();
      const thread = await newThread(t, t.adminToken);
      expect((await ask(admin, butler, thread, 'hello small model')).text).toBe('You said: hello small model');
      expect((await butlerDto()).modelTools).toBe(false);
      expect((await ask(admin, butler, thread, 'still there?')).text).toBe('You said: still there?');
      // "X: Y" is a command only when X is an agent; otherwise the model answers it.
      expect((await ask(admin, butler, thread, 'Note: just a remark')).text).toBe('You said: Note: just a remark');
      const sent = requestsOf('tools-refused');
      expect(sent[0].tools?.length).toBeGreaterThan(0);
      expect(sent.slice(1).every((r) => !r.tools)).toBe(true);
      expect(String(sent.at(-1)?.messages[0].content)).toContain('You have no tools with this model');
    });

    it('read-only command by an explicit phrase: runs at once through the offline brain’s intents', async () => {
      await useStyle('tools-refused');
      const runsBefore = custodian.runs.length;
      const reply = await ask(admin, butler, await newThread(t, t.adminToken), `ask ${AGENT} to get_status`);
      expect(reply.text).toContain(`${AGENT} answered "get_status"`);
      expect(reply.text).toContain('get_status done');
      expect(custodian.runs.length).toBe(runsBefore + 1);
      expect((await ask(admin, butler, await newThread(t, t.adminToken), 'list agents')).text).toContain(AGENT);
    });

    it('a command that needs approval by an explicit phrase: the same approval, nothing runs', async () => {
      await useStyle('tools-refused');
      const thread = await newThread(t, t.adminToken);
      const runsBefore = custodian.runs.length;
      const reply = await ask(admin, butler, thread, `ask ${AGENT} to clean /tmp/no-tools`);
      expect(reply.text).toContain('needs a human approval');
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      expect(requested).toMatchObject({ status: 'PENDING', agentName: AGENT, command: 'clean /tmp/no-tools' });
      expect(custodian.runs.length).toBe(runsBefore);
    });

    it('butler.tools = off: no tools offered even to a capable endpoint; explicit commands still work', async () => {
      await useStyle('openai', 'off');
      try {
        expect((await butlerDto()).modelTools).toBe(false);
        const thread = await newThread(t, t.adminToken);
        const before = requestsOf('openai').length;
        expect((await ask(admin, butler, thread, `hi ${command('get_status')}`)).text).toMatch(/^You said: /);
        expect(
          requestsOf('openai')
            .slice(before)
            .every((r) => !r.tools),
        ).toBe(true);
        expect((await ask(admin, butler, thread, `ask ${AGENT} to get_status`)).text).toContain('get_status done');
      } finally {
        await useStyle('openai', 'auto');
      }
    });
  });

  it.each([
    ['openai', { streaming: true, tools: 'called', streamUsage: true }],
    ['missing-index', { streaming: true, tools: 'called', streamUsage: true }],
    ['tools-refused', { streaming: true, tools: 'refused', streamUsage: true }],
    ['streaming-refused', { streaming: false, tools: 'called', streamUsage: false }],
    ['usage-refused', { streaming: true, tools: 'called', streamUsage: false }],
    ['no-usage', { streaming: true, tools: 'called', streamUsage: false }],
  ] as const)(
    'Settings → test the model connection reports what a %s endpoint supports',
    async (style, capabilities) => {
      fake.options.style = style;
      try {
        const res = await t
          .http()
          .post('/api/settings/test-model')
          .set(auth())
          .send({ baseUrl: fake.url, model: 'fake-butler' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true, models: ['fake-butler'], modelFound: true, capabilities });
      } finally {
        fake.options.style = 'openai';
      }
    },
  );

  it('arguments that are not valid JSON go back to the model as a tool error, once', async () => {
    await useStyle('openai');
    const reply = await ask(admin, butler, await newThread(t, t.adminToken), '[[tool:command_agent {"agentId": }]]');
    expect(reply.text).toMatch(/^Tool results: /);
    expect(reply.text).toContain('not valid JSON');
  });

  it('arguments that stay invalid: the turn says so plainly', async () => {
    await useStyle('openai');
    fake.options.repeatToolCalls = true;
    try {
      const reply = await ask(admin, butler, await newThread(t, t.adminToken), '[[tool:command_agent {"agentId": }]]');
      expect(reply.text).toContain('not valid JSON twice, so I stopped');
    } finally {
      fake.options.repeatToolCalls = false;
    }
  });
});
