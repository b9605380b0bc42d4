import type { ApprovalContextDto, ApprovalDto, ApprovalRequestedEvent } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { createUser, startTestApp, type TestApp } from './support/test-app';

const toolCall = (agent: string, command: string) =>
  `[[tool:command_agent ${JSON.stringify({ agentId: agent, command, reasoning: 'asked by the operator' })}]]`;

/** The approver's inbox: list filters and the thread context beside each request. */
describe('approvals inbox (filters, thread context)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;
  let sentinel: Awaited<ReturnType<typeof startAgent>>;
  let alice: Awaited<ReturnType<typeof createUser>>;
  let bob: Awaited<ReturnType<typeof createUser>>;
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

  async function requestApproval(
    human: Probe,
    thread: number,
    agent: string,
    command: string,
  ): Promise<ApprovalRequestedEvent> {
    const reply = await ask(human, butler, thread, toolCall(agent, command));
    expect(reply.text).toContain('APPROVAL_REQUIRED');
    return admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread && a.command === command,
    );
  }

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    custodian = await startAgent(t, 'Storage-Custodian', [{ name: 'clean', args: '<path>' }], () => ({
      ok: true,
      result: 'cleaned',
    }));
    sentinel = await startAgent(t, 'Weather-Sentinel', [{ name: 'recalibrate' }], () => ({
      ok: true,
      result: 'recalibrated',
    }));
    alice = await createUser(t, 'alice');
    bob = await createUser(t, 'bob');
  });
  afterAll(async () => {
    admin?.close();
    custodian?.probe.close();
    sentinel?.probe.close();
    await t?.close();
    await fake?.close();
  });

  it('GET /api/approvals filters by agent and requester; a member never sees anyone else’s', async () => {
    const aliceSocket = await connect(t, alice.token);
    const bobSocket = await connect(t, bob.token);
    try {
      const a1 = await requestApproval(aliceSocket, await newThread(t, alice.token), 'Storage-Custodian', 'clean /a');
      const a2 = await requestApproval(aliceSocket, await newThread(t, alice.token), 'Weather-Sentinel', 'recalibrate');
      const b1 = await requestApproval(bobSocket, await newThread(t, bob.token), 'Storage-Custodian', 'clean /b');
      const ids = async (query: string, token = t.adminToken) => {
        const res = await t.http().get(`/api/approvals${query}`).set(auth(token));
        expect(res.status).toBe(200);
        return (res.body.items as ApprovalDto[]).map((a) => a.id);
      };

      expect(await ids(`?agentId=${custodian.id}`)).toEqual([b1.id, a1.id]);
      expect(await ids(`?requestedBy=${alice.user.id}`)).toEqual([a2.id, a1.id]);
      expect(await ids(`?agentId=${custodian.id}&requestedBy=${bob.user.id}&status=PENDING`)).toEqual([b1.id]);
      expect(await ids(`?agentId=${sentinel.id}&requestedBy=${bob.user.id}`)).toEqual([]);
      // A member asking for someone else's requests gets none: the filter narrows, it never widens.
      expect(await ids(`?requestedBy=${bob.user.id}`, alice.token)).toEqual([]);
      expect(await ids(`?agentId=${custodian.id}`, alice.token)).toEqual([a1.id]);

      for (const bad of ['agentId=abc', 'agentId=0', 'requestedBy=-1', 'requestedBy=1.5']) {
        const res = await t.http().get(`/api/approvals?${bad}`).set(auth());
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    } finally {
      aliceSocket.close();
      bobSocket.close();
    }
  });

  it('GET /api/approvals/:id/context: the thread’s last six messages, oldest first, for an admin and the requester only', async () => {
    const aliceSocket = await connect(t, alice.token);
    try {
      const thread = await newThread(t, alice.token);
      for (const n of [1, 2, 3]) await ask(aliceSocket, butler, thread, `note ${n}`);
      // Another thread of hers must not leak in.
      await ask(aliceSocket, butler, await newThread(t, alice.token), 'elsewhere');
      const requested = await requestApproval(aliceSocket, thread, 'Storage-Custodian', 'clean /ctx');

      const res = await t.http().get(`/api/approvals/${requested.id}/context`).set(auth());
      expect(res.status).toBe(200);
      const ctx = res.body as ApprovalContextDto;
      expect(ctx.approvalId).toBe(requested.id);
      expect(ctx.messages).toHaveLength(6);
      expect(ctx.messages.every((m) => m.conversationId === thread)).toBe(true);
      const ids = ctx.messages.map((m) => m.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      // note 1 and its answer are older than the last six; the request and the Butler's answer are last.
      expect(ctx.messages.map((m) => m.text).join('\n')).not.toContain('note 1');
      expect(ctx.messages[0].text).toBe('note 2');
      expect(ctx.messages[4]).toMatchObject({
        senderId: alice.user.id,
        text: toolCall('Storage-Custodian', 'clean /ctx'),
      });
      expect(ctx.messages[5]).toMatchObject({ senderId: butler });
      expect(ctx.messages[5].text).toContain('APPROVAL_REQUIRED');

      const own = await t.http().get(`/api/approvals/${requested.id}/context`).set(auth(alice.token));
      expect(own.status).toBe(200);
      expect((own.body as ApprovalContextDto).messages.map((m) => m.id)).toEqual(ids);

      const other = await t.http().get(`/api/approvals/${requested.id}/context`).set(auth(bob.token));
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('FORBIDDEN');
      expect(JSON.stringify(other.body)).not.toContain('clean /ctx');
      // The agent the command is for cannot read the thread that led to it.
      const asAgent = await t.http().get(`/api/approvals/${requested.id}/context`).set(auth(custodian.token));
      expect(asAgent.status).toBe(403);

      const missing = await t.http().get('/api/approvals/999999/context').set(auth());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      await t.http().get(`/api/approvals/${requested.id}/context`).expect(401);
    } finally {
      aliceSocket.close();
    }
  });

  it('context stops at the decision: later messages of the thread are not part of it', async () => {
    const aliceSocket = await connect(t, alice.token);
    try {
      const thread = await newThread(t, alice.token);
      const requested = await requestApproval(aliceSocket, thread, 'Storage-Custodian', 'clean /later');
      await t
        .http()
        .post(`/api/approvals/${requested.id}/decision`)
        .set(auth())
        .send({ approved: false, reason: 'no' })
        .expect(200);
      await aliceSocket.waitFor(
        'chat:message',
        (m: { conversationId: number; text: string }) => m.conversationId === thread && m.text.includes('was rejected'),
      );
      await ask(aliceSocket, butler, thread, 'after the decision');
      const ctx = (await t.http().get(`/api/approvals/${requested.id}/context`).set(auth())).body as ApprovalContextDto;
      expect(ctx.messages.map((m) => m.text).join('\n')).not.toContain('after the decision');
      expect(ctx.messages.map((m) => m.text)).toContain(toolCall('Storage-Custodian', 'clean /later'));
    } finally {
      aliceSocket.close();
    }
  });
});
