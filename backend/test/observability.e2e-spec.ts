import type { ApprovalRequestedEvent, ChatMessageDto, ThreadUsageDto, UsageReportDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { scrape, type Scrape } from './support/prom-text';
import { createUser, startTestApp, type TestApp } from './support/test-app';

const TOKEN = 'metrics-token-for-e2e-0123456789';
const MODEL = 'fake-butler';
// The fake model reports 10 prompt and 5 completion tokens for every streamed answer.
const IN = 10;
const OUT = 5;

const toolCall = (agent: string, command: string) =>
  `[[tool:command_agent ${JSON.stringify({ agentId: agent, command, reasoning: 'asked for' })}]]`;

describe('observability: /metrics moves with real traffic, usage is stored per turn, budgets refuse', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let member: Awaited<ReturnType<typeof createUser>>;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });
  const moved = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
    after.value(name, labels) - before.value(name, labels);
  /**
   * The scrape once a turn's bookkeeping is done: a turn is counted (and its usage stored) beside its
   * reply's commit, so the operator may see `chat:end` a moment before.
   */
  const scrapeWhenTurns = async (before: Scrape, labels: Record<string, string>, turns: number): Promise<Scrape> => {
    let after = await scrape(t, TOKEN);
    await until(
      async () => moved(before, (after = await scrape(t, TOKEN)), 'echocenter_butler_turns_total', labels) >= turns,
      5000,
      `${turns} turn(s) ${JSON.stringify(labels)} counted`,
    );
    return after;
  };

  beforeAll(async () => {
    fake = await startFakeOpenAi({ record: true });
    // Two recent messages kept verbatim: a compaction (last test) has something to fold after two turns.
    t = await startTestApp({
      BUTLER_BASE_URL: fake.url,
      BUTLER_MODEL: MODEL,
      METRICS_TOKEN: TOKEN,
      NODE_NAME: 'node-a',
      BUTLER_RECENT_MESSAGES: '2',
    });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    member = await createUser(t, 'metrics-member');
    agent = await startAgent(t, 'Metrics-Agent', [{ name: 'restart' }], (run) => ({
      ok: true,
      result: `${run.command} done`,
    }));
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
    await fake?.close();
  });

  it('refuses a scrape without the token or with a wrong one, and labels every series with the node', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', `Bearer ${t.adminToken}`)).status).toBe(401);
    const res = await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds\{node="node-a"\} /m);
    expect(res.text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram/m);
    expect(res.text).toMatch(/^echocenter_redis_adapter_connected\{node="node-a"\} 0$/m);
  });

  it('counts REST requests by route template and status, with their latency', async () => {
    const before = await scrape(t, TOKEN);
    for (let i = 0; i < 3; i++) expect((await t.http().get('/api/agents').set(auth())).status).toBe(200);
    expect(
      (
        await t
          .http()
          .get(`/api/agents/${agent.id + 1000}`)
          .set(auth())
      ).status,
    ).toBe(404);
    expect((await t.http().get('/api/audit').set(auth(member.token))).status).toBe(403);
    expect((await t.http().get('/api/no-such-route')).status).toBe(404);
    const after = await scrape(t, TOKEN);
    expect(
      moved(before, after, 'echocenter_http_requests_total', { method: 'GET', route: '/api/agents', status: '200' }),
    ).toBe(3);
    expect(
      moved(before, after, 'echocenter_http_requests_total', { method: 'GET', route: '/api/audit', status: '403' }),
    ).toBe(1);
    expect(
      moved(before, after, 'echocenter_http_requests_total', {
        method: 'GET',
        route: '/api/agents/:id',
        status: '404',
      }),
    ).toBe(1);
    // Raw paths never become labels.
    expect(
      moved(before, after, 'echocenter_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBe(1);
    expect(after.text).not.toContain('no-such-route');
    expect(moved(before, after, 'echocenter_http_request_seconds_count', { method: 'GET', route: '/api/agents' })).toBe(
      3,
    );
  });

  it('counts sockets by kind, socket events by outcome with ack latency, and chat group commits', async () => {
    const adminId = (await t.http().get('/api/auth/me').set(auth())).body.id as number;
    const before = await scrape(t, TOKEN);
    const human = await connect(t, member.token);
    const during = await scrape(t, TOKEN);
    expect(moved(before, during, 'echocenter_sockets_connected', { kind: 'MEMBER' })).toBe(1);
    for (let i = 0; i < 5; i++)
      expect((await human.emit('chat:send', { targetId: adminId, text: `hello ${i}` })).ok).toBe(true);
    const bad = await human.emit<{ ok: boolean; error: { code: string } }>('chat:send', {
      targetId: 'nobody',
      text: 'x',
    });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    await human.emit('no:such-event', {});
    human.close();
    await until(
      async () =>
        (await scrape(t, TOKEN)).value('echocenter_sockets_connected', { kind: 'MEMBER' }) ===
        before.value('echocenter_sockets_connected', { kind: 'MEMBER' }),
      5000,
      'the member socket to be counted out',
    );
    const after = await scrape(t, TOKEN);
    expect(moved(before, after, 'echocenter_socket_events_total', { event: 'chat:send', outcome: 'ok' })).toBe(5);
    expect(
      moved(before, after, 'echocenter_socket_events_total', { event: 'chat:send', outcome: 'VALIDATION_FAILED' }),
    ).toBe(1);
    expect(moved(before, after, 'echocenter_socket_events_total', { event: 'unknown', outcome: 'UNKNOWN_EVENT' })).toBe(
      1,
    );
    expect(after.text).not.toContain('no:such-event');
    expect(moved(before, after, 'echocenter_socket_ack_seconds_count', { event: 'chat:send' })).toBe(6);
    // Every stored message went through a group commit: the batch sizes add up to the messages.
    expect(moved(before, after, 'echocenter_chat_commit_batch_size_sum')).toBe(5);
    expect(moved(before, after, 'echocenter_chat_commit_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('counts a Butler turn, its model calls, tokens and tool calls, and stores the usage from the streamed usage chunk', async () => {
    const thread = await newThread(t, t.adminToken, 'usage');
    const before = await scrape(t, TOKEN);
    await ask(admin, butler, thread, 'hello metrics');
    await ask(admin, butler, thread, '[[tool:list_agents]]');
    const after = await scrapeWhenTurns(before, { brain: MODEL, outcome: 'ok' }, 2);
    expect(moved(before, after, 'echocenter_butler_turns_total', { brain: MODEL, outcome: 'ok' })).toBe(2);
    expect(moved(before, after, 'echocenter_butler_turn_seconds_count', { brain: MODEL })).toBe(2);
    // The tool turn is two calls: the tool call, then the answer with its result.
    expect(moved(before, after, 'echocenter_butler_model_call_seconds_count', { model: MODEL, outcome: 'ok' })).toBe(3);
    expect(moved(before, after, 'echocenter_butler_tokens_total', { model: MODEL, direction: 'in' })).toBe(3 * IN);
    expect(moved(before, after, 'echocenter_butler_tokens_total', { model: MODEL, direction: 'out' })).toBe(3 * OUT);
    expect(moved(before, after, 'echocenter_butler_tool_calls_total', { tool: 'list_agents', outcome: 'ok' })).toBe(1);

    const usage = (await t.http().get(`/api/conversations/${thread}/usage`).set(auth())).body as ThreadUsageDto;
    expect(usage).toEqual({
      conversationId: thread,
      promptTokens: 3 * IN,
      completionTokens: 3 * OUT,
      turns: 2,
      cost: null,
      byModel: [{ model: MODEL, promptTokens: 3 * IN, completionTokens: 3 * OUT, turns: 2, cost: null }],
    });
    // Someone else's thread is not found, not shown.
    expect((await t.http().get(`/api/conversations/${thread}/usage`).set(auth(member.token))).status).toBe(404);
  });

  it('reports usage per user, model and day to admins only, with cost from the price setting', async () => {
    expect(
      (
        await t
          .http()
          .patch('/api/settings')
          .set(auth())
          .send({ butler: { pricesPer1k: 'gpt-x' } })
      ).body.details,
    ).toEqual([{ field: 'butler.pricesPer1k', message: expect.stringContaining('must be model=price pairs') }]);
    expect(
      (
        await t
          .http()
          .patch('/api/settings')
          .set(auth())
          .send({ butler: { pricesPer1k: `${MODEL}=2, other=0.5` } })
      ).status,
    ).toBe(200);
    const res = await t.http().get('/api/usage').set(auth());
    expect(res.status).toBe(200);
    const report = res.body as UsageReportDto;
    const today = new Date().toISOString().slice(0, 10);
    const mine = report.rows.find((r) => r.username === 'admin' && r.model === MODEL)!;
    expect(mine).toMatchObject({ day: today, promptTokens: 3 * IN, completionTokens: 3 * OUT, turns: 2 });
    expect(mine.cost).toBeCloseTo(((3 * (IN + OUT)) / 1000) * 2, 6);
    expect(report.prices).toEqual({ [MODEL]: 2, other: 0.5 });
    expect(report.to).toBe(today);

    expect((await t.http().get('/api/usage').set(auth(member.token))).status).toBe(403);
    const bad = await t.http().get('/api/usage?from=yesterday').set(auth());
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'from', message: 'from must be a day as YYYY-MM-DD' }]);
    expect((await t.http().get('/api/usage?from=2026-12-06&to=2026-12-01').set(auth())).status).toBe(400);
  });

  it('answers a turn over the daily budget with a clear message and never sends it to the model', async () => {
    const thread = await newThread(t, t.adminToken, 'budget');
    expect(
      (
        await t
          .http()
          .patch('/api/settings')
          .set(auth())
          .send({ butler: { dailyTokenBudget: 3 * (IN + OUT) } })
      ).status,
    ).toBe(200);
    const before = await scrape(t, TOKEN);
    const requests = fake.requests.length;
    const reply = await ask(admin, butler, thread, 'one more please');
    expect(reply.text).toContain('I did not send this to the model');
    expect(reply.text).toContain(`${3 * (IN + OUT)} of ${3 * (IN + OUT)} tokens`);
    expect(fake.requests.length).toBe(requests);
    const after = await scrapeWhenTurns(before, { brain: MODEL, outcome: 'over_budget' }, 1);
    expect(moved(before, after, 'echocenter_butler_turns_total', { brain: MODEL, outcome: 'over_budget' })).toBe(1);
    expect(moved(before, after, 'echocenter_butler_model_call_seconds_count', { model: MODEL, outcome: 'ok' })).toBe(0);
    // Another user's budget is their own.
    const other = await connect(t, member.token);
    try {
      const theirs = await newThread(t, member.token, 'theirs');
      expect((await ask(other, butler, theirs, 'hi from member')).text).toBe('You said: hi from member');
    } finally {
      other.close();
    }
    expect(
      (
        await t
          .http()
          .patch('/api/settings')
          .set(auth())
          .send({ butler: { dailyTokenBudget: 0 } })
      ).status,
    ).toBe(200);
    expect((await ask(admin, butler, thread, 'budget lifted')).text).toBe('You said: budget lifted');
  });

  it('counts approvals (created, pending, decided by channel with time to decision) and commands by status', async () => {
    const thread = await newThread(t, t.adminToken, 'approval');
    const before = await scrape(t, TOKEN);
    const reply = await ask(admin, butler, thread, toolCall('Metrics-Agent', 'restart'));
    expect(reply.text).toContain('APPROVAL_REQUIRED');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread,
    );
    const pending = await scrape(t, TOKEN);
    expect(moved(before, pending, 'echocenter_approvals_created_total')).toBe(1);
    expect(pending.value('echocenter_approvals_pending')).toBe(1);

    expect(
      (await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true })).status,
    ).toBe(200);
    await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text.startsWith('Update:'),
    );
    const after = await scrape(t, TOKEN);
    expect(after.value('echocenter_approvals_pending')).toBe(0);
    expect(moved(before, after, 'echocenter_approvals_decided_total', { channel: 'REST', outcome: 'APPROVED' })).toBe(
      1,
    );
    expect(moved(before, after, 'echocenter_approval_decision_seconds_count', { outcome: 'APPROVED' })).toBe(1);
    expect(moved(before, after, 'echocenter_commands_total', { status: 'SUCCEEDED' })).toBe(1);
    expect(moved(before, after, 'echocenter_command_seconds_count', { status: 'SUCCEEDED' })).toBe(1);
  });
  it('adds what a compaction’s summary spent to the turn that triggered it, which stays one turn', async () => {
    const thread = await newThread(t, t.adminToken, 'compaction');
    expect(
      (
        await t
          .http()
          .patch('/api/settings')
          .set(auth())
          .send({ butler: { compactionThreshold: 200 } })
      ).status,
    ).toBe(200);
    try {
      const long = (n: number) => `message ${n} ${'x'.repeat(120)}`;
      for (let n = 1; n <= 3; n++) await ask(admin, butler, thread, long(n));
      const summaries = () =>
        fake.requests.filter((r) => String(r.messages[0]?.content).startsWith('Summarize')).length;
      await until(() => summaries() > 0, 5000, 'a summary request');
      // A summary is stored once it has come back, after the reply: wait until every one asked for is in.
      let usage: ThreadUsageDto | undefined;
      let asked = 0;
      await until(
        async () => {
          asked = summaries();
          usage = (await t.http().get(`/api/conversations/${thread}/usage`).set(auth())).body as ThreadUsageDto;
          return usage.promptTokens === (3 + asked) * IN;
        },
        5000,
        'every summary’s tokens in the thread’s usage',
      );
      expect(usage).toMatchObject({ turns: 3, promptTokens: (3 + asked) * IN, completionTokens: (3 + asked) * OUT });
    } finally {
      await t
        .http()
        .patch('/api/settings')
        .set(auth())
        .send({ butler: { compactionThreshold: 12000 } });
    }
  });
});
