import { SpanKind, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { ApprovalRequestedEvent, ChatMessageDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { startTestApp, type TestApp } from './support/test-app';

const toolCall = (agent: string, command: string) =>
  `[[tool:command_agent ${JSON.stringify({ agentId: agent, command, reasoning: 'asked for' })}]]`;

/**
 * Spans through an in-memory exporter registered as the process's tracer provider before the app starts
 * (the app then keeps it instead of its OTLP exporter). The endpoint only switches tracing on.
 */
describe('tracing (OpenTelemetry, in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let fake: FakeOpenAi;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake?.close();
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  const spans = (name: string, pred: (s: ReadableSpan) => boolean = () => true) =>
    exporter.getFinishedSpans().filter((s) => s.name === name && pred(s));

  it('records nothing while OTEL_EXPORTER_OTLP_ENDPOINT is unset', async () => {
    const t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    const admin = await connect(t, t.adminToken);
    try {
      expect((await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).status).toBe(200);
      await ask(admin, await butlerId(t, t.adminToken), await newThread(t, t.adminToken), 'hello');
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      admin.close();
      await t.close();
    }
  });

  describe('with an endpoint', () => {
    let t: TestApp;
    let admin: Probe;
    let agent: Awaited<ReturnType<typeof startAgent>>;

    beforeAll(async () => {
      // Nothing listens there: the in-memory provider registered above keeps the spans.
      t = await startTestApp({
        BUTLER_BASE_URL: fake.url,
        BUTLER_MODEL: 'fake-butler',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      });
      admin = await connect(t, t.adminToken);
      agent = await startAgent(t, 'Traced-Agent', [{ name: 'restart' }], (run) => ({
        ok: true,
        result: `${run.command} done`,
      }));
    });
    afterAll(async () => {
      admin?.close();
      agent?.probe.close();
      await t?.close();
    });

    it('spans REST requests by route template and socket events by name with their outcome', async () => {
      expect(
        (await t.http().get(`/api/agents/${agent.id}`).set('authorization', `Bearer ${t.adminToken}`)).status,
      ).toBe(200);
      expect((await admin.emit<{ ok: boolean }>('chat:send', { targetId: 'x', text: 'bad' })).ok).toBe(false);
      await until(() => spans('socket chat:send').length > 0, 3000, 'the chat:send span');
      const [rest] = spans('GET /api/agents/:id');
      expect(rest.kind).toBe(SpanKind.SERVER);
      expect(rest.attributes).toMatchObject({ 'http.route': '/api/agents/:id', 'http.response.status_code': 200 });
      expect(spans('socket chat:send')[0].attributes).toMatchObject({
        'socket.event': 'chat:send',
        'socket.outcome': 'VALIDATION_FAILED',
      });
    });

    it('traces a turn that needs an approval: context load, model calls, the tool call, then the approval wait, command run and follow-up in the approval’s trace', async () => {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      const reply = await ask(admin, butler, thread, toolCall('Traced-Agent', 'restart'));
      expect(reply.text).toContain('APPROVAL_REQUIRED');
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      await until(() => spans('butler.turn').length === 1, 3000, 'the turn span');

      const [turn] = spans('butler.turn');
      expect(turn.attributes).toMatchObject({
        'echocenter.conversation.id': thread,
        'echocenter.brain': 'fake-butler',
        'echocenter.turn.outcome': 'ok',
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 10,
      });
      const children = exporter
        .getFinishedSpans()
        .filter((s) => s.parentSpanContext?.spanId === turn.spanContext().spanId);
      expect(children.map((s) => s.name).sort()).toEqual([
        'butler.context_load',
        'butler.model_call',
        'butler.model_call',
        'butler.tool_call',
      ]);
      expect(children.every((s) => s.spanContext().traceId === turn.spanContext().traceId)).toBe(true);
      const model = children.find((s) => s.name === 'butler.model_call')!;
      expect(model.attributes).toMatchObject({
        'gen_ai.request.model': 'fake-butler',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
      });
      const tool = children.find((s) => s.name === 'butler.tool_call')!;
      expect(tool.attributes).toMatchObject({
        'gen_ai.tool.name': 'command_agent',
        'echocenter.command.status': 'APPROVAL_REQUIRED',
        'echocenter.approval.id': requested.id,
      });
      expect(tool.links).toHaveLength(1);
      const approvalTrace = tool.links[0].context.traceId;

      exporter.reset();
      expect(
        (
          await t
            .http()
            .post(`/api/approvals/${requested.id}/decision`)
            .set('authorization', `Bearer ${t.adminToken}`)
            .send({ approved: true })
        ).status,
      ).toBe(200);
      await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.startsWith('Update:'),
      );
      await until(() => spans('butler.turn').length === 1, 3000, 'the follow-up turn span');

      const [wait] = spans('approval.wait');
      expect(wait.attributes).toMatchObject({
        'echocenter.approval.id': requested.id,
        'echocenter.approval.outcome': 'APPROVED',
        'echocenter.approval.channel': 'REST',
      });
      const [run] = spans('command.run');
      expect(run.attributes).toMatchObject({
        'echocenter.command.status': 'SUCCEEDED',
        'echocenter.agent.name': 'Traced-Agent',
        'echocenter.approval.id': requested.id,
      });
      const [followUp] = spans('butler.turn');
      expect(followUp.attributes).toMatchObject({ 'echocenter.turn.kind': 'notice', 'echocenter.turn.outcome': 'ok' });
      // One trace per approval, derived from its stored id, so any node lands its spans there.
      for (const s of [wait, run, followUp]) expect(s.spanContext().traceId).toBe(approvalTrace);
      expect(wait.parentSpanContext?.spanId).toBe(tool.links[0].context.spanId);
    });
  });
});
