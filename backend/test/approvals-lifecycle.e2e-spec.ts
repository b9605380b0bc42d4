import type {
  ApprovalDto,
  ApprovalExpiringEvent,
  ApprovalRequestedEvent,
  ApprovalUpdatedEvent,
  ChatMessageDto,
  CommandRunEvent,
} from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, sleep, startAgent } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { startTestApp, type TestApp } from './support/test-app';

const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];

describe('approval expiry (database sweep)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ APPROVAL_TTL: '2s', APPROVAL_WARN_BEFORE: '1s', SWEEP_INTERVAL_MS: '100' });
  });
  afterAll(() => t?.close());

  it('warns approvers, then expires: the thread says so and a late decision gets CONFLICT', async () => {
    const admin = await connect(t, t.adminToken);
    const agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'cleaned' }));
    try {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      const reply = await ask(admin, butler, thread, 'ask Storage-Custodian to clean /tmp');
      expect(reply.text).toContain('needs a human approval');
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );

      const warning = await admin.waitFor<ApprovalExpiringEvent>(
        'approval:expiring',
        (w) => w.id === requested.id,
        3000,
      );
      expect(warning.expiresAt).toBe(requested.expiresAt);
      expect(Date.now()).toBeLessThan(new Date(requested.expiresAt).getTime());

      const expired = await admin.waitFor<ApprovalUpdatedEvent>(
        'approval:updated',
        (u) => u.id === requested.id && u.status === 'EXPIRED',
        4000,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(new Date(requested.expiresAt).getTime() - 50);
      expect(expired.approval?.status).toBe('EXPIRED');
      const note = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.includes('expired'),
      );
      expect(note.text).toContain('Nothing was run');

      const late = await t
        .http()
        .post(`/api/approvals/${requested.id}/decision`)
        .set('authorization', `Bearer ${t.adminToken}`)
        .send({ approved: true });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('CONFLICT');
      expect(admin.all('approval:expiring', (w: ApprovalExpiringEvent) => w.id === requested.id)).toHaveLength(1);
      expect(agent.runs).toHaveLength(0);
    } finally {
      admin.close();
      agent.probe.close();
    }
  });
});

describe('approvals across a restart and across two nodes', () => {
  let fake: FakeOpenAi;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('picks a pending approval up after a restart: approve → runs → result and answer in the same thread', async () => {
    const admin = await connect(t, t.adminToken);
    const agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'unused' }));
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken);
    await ask(
      admin,
      butler,
      thread,
      `[[tool:command_agent ${JSON.stringify({ agentId: 'Storage-Custodian', command: 'clean /data', reasoning: 'space' })}]]`,
    );
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread,
    );
    admin.close();
    agent.probe.close();

    await t.close({ dropDatabase: false });
    t = await t.restart();

    const admin2 = await connect(t, t.adminToken);
    const agentSocket = await connect(t, agent.token);
    const runs: CommandRunEvent[] = [];
    agentSocket.socket.on('command:run', (run: CommandRunEvent) => {
      runs.push(run);
      agentSocket
        .emit('command:result', { commandId: run.commandId, ok: true, result: 'freed 3 GB after the restart' })
        .catch(() => undefined);
    });
    try {
      const pending = (
        await t.http().get('/api/approvals?status=PENDING').set('authorization', `Bearer ${t.adminToken}`)
      ).body.items as ApprovalDto[];
      expect(pending.map((a) => a.id)).toEqual([requested.id]);
      await t
        .http()
        .post(`/api/approvals/${requested.id}/decision`)
        .set('authorization', `Bearer ${t.adminToken}`)
        .send({ approved: true })
        .expect(200);
      const answer = await admin2.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.startsWith('Update:'),
      );
      expect(answer.text).toContain('freed 3 GB after the restart');
      expect(runs).toHaveLength(1);
      const history = await t
        .http()
        .get(`/api/conversations/${thread}/messages`)
        .set('authorization', `Bearer ${t.adminToken}`);
      const texts = (history.body.items as ChatMessageDto[]).map((m) => m.text).reverse();
      expect(texts[0]).toContain('[[tool:command_agent');
      expect(texts[1]).toContain('APPROVAL_REQUIRED');
      expect(texts[2]).toBe(answer.text);
    } finally {
      admin2.close();
      agentSocket.close();
    }
  });

  it('two nodes on one database: two clicks on two nodes run the approved command exactly once', async () => {
    const node2 = await t.restart();
    const admin = await connect(t, t.adminToken);
    // The agent holds a socket on each node, so whichever node wins the decision can reach it.
    const agent = await startAgent(t, 'Twin-Agent', CARD, (run) => ({
      ok: true,
      result: `ran ${run.commandId} on node 1`,
    }));
    const onNode2 = await connect(node2, agent.token);
    const runsOnNode2: CommandRunEvent[] = [];
    onNode2.socket.on('command:run', (run: CommandRunEvent) => {
      runsOnNode2.push(run);
      onNode2
        .emit('command:result', { commandId: run.commandId, ok: true, result: `ran ${run.commandId} on node 2` })
        .catch(() => undefined);
    });
    try {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      await ask(
        admin,
        butler,
        thread,
        `[[tool:command_agent ${JSON.stringify({ agentId: 'Twin-Agent', command: 'clean /both', reasoning: 'race' })}]]`,
      );
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      const [a, b] = await Promise.all([
        t
          .http()
          .post(`/api/approvals/${requested.id}/decision`)
          .set('authorization', `Bearer ${t.adminToken}`)
          .send({ approved: true }),
        node2
          .http()
          .post(`/api/approvals/${requested.id}/decision`)
          .set('authorization', `Bearer ${t.adminToken}`)
          .send({ approved: true }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      await sleep(1500);
      expect(agent.runs.length + runsOnNode2.length).toBe(1);
      const final = (
        await t.http().get(`/api/approvals/${requested.id}`).set('authorization', `Bearer ${t.adminToken}`)
      ).body as ApprovalDto;
      expect(final.status).toBe('SUCCEEDED');
      expect(final.result).toMatch(/^ran \d+ on node [12]$/);
    } finally {
      admin.close();
      agent.probe.close();
      onNode2.close();
      await node2.close({ dropDatabase: false });
    }
  });
});
