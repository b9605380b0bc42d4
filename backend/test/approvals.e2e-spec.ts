import type {
  AllowRuleDto,
  ApprovalDto,
  ApprovalRequestedEvent,
  ApprovalUpdatedEvent,
  ChatMessageDto,
} from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, sleep, startAgent, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { confirmReadOnly, createUser, startTestApp, type TestApp } from './support/test-app';

const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>', description: 'deletes temporary files' },
  { name: 'restart' },
];

/** The model asks for a command through the real openai SDK; the fake model scripts the tool call. */
const toolCall = (agent: string, command: string, reasoning = 'the disk is nearly full') =>
  `[[tool:command_agent ${JSON.stringify({ agentId: agent, command, reasoning })}]]`;

describe('approvals (model brain)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

  /** Asks for a side-effecting command and returns the pending approval the admin was told about. */
  async function requestApproval(human: Probe, thread: number, command: string): Promise<ApprovalRequestedEvent> {
    const reply = await ask(human, butler, thread, toolCall('Storage-Custodian', command));
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
    custodian = await startAgent(t, 'Storage-Custodian', CARD, (run) => ({
      ok: true,
      result: `${run.command} done (${run.args ?? 'no args'})`,
    }));
  });
  afterAll(async () => {
    admin?.close();
    custodian?.probe.close();
    await t?.close();
    await fake?.close();
  });

  it('tool call → approval → approve (edited) → the agent runs it → the result and the Butler’s answer land in the thread', async () => {
    const thread = await newThread(t, t.adminToken);
    const requested = await requestApproval(admin, thread, 'clean /tmp');
    expect(requested).toMatchObject({
      status: 'PENDING',
      agentId: custodian.id,
      agentName: 'Storage-Custodian',
      reasoning: 'the disk is nearly full',
    });
    expect(custodian.runs).toHaveLength(0);

    const ack = await admin.emit<{ ok: boolean; approval: ApprovalDto }>('approval:respond', {
      id: requested.id,
      approved: true,
      command: 'clean /tmp --older-than 7d',
      reason: 'only old files',
    });
    expect(ack.ok).toBe(true);
    expect(ack.approval).toMatchObject({ id: requested.id, decisionChannel: 'SOCKET', decidedByName: 'admin' });

    const answer = await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text.startsWith('Update:'),
    );
    expect(answer.text).toContain('clean done (/tmp --older-than 7d)');
    expect(answer.text).toContain('edited from "clean /tmp"');
    expect(custodian.runs).toHaveLength(1);
    expect(custodian.runs[0]).toMatchObject({ command: 'clean', args: '/tmp --older-than 7d' });

    const audit = (await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto;
    expect(audit).toMatchObject({
      status: 'SUCCEEDED',
      proposedCommand: 'clean /tmp',
      command: 'clean /tmp --older-than 7d',
      executedCommand: 'clean /tmp --older-than 7d',
      decisionChannel: 'SOCKET',
      decisionReason: 'only old files',
      decidedByName: 'admin',
      result: 'clean done (/tmp --older-than 7d)',
      commandId: custodian.runs[0].commandId,
    });
    expect(audit.decidedAt).toEqual(expect.any(String));
    const statuses = admin
      .all<ApprovalUpdatedEvent>('approval:updated', (u) => u.id === requested.id)
      .map((u) => u.status);
    expect(statuses).toEqual(['APPROVED', 'RUNNING', 'SUCCEEDED']);
  });

  it('reject: nothing runs, the thread says so, a second decision gets CONFLICT', async () => {
    const thread = await newThread(t, t.adminToken);
    const requested = await requestApproval(admin, thread, 'restart');
    const res = await t
      .http()
      .post(`/api/approvals/${requested.id}/decision`)
      .set(auth())
      .send({ approved: false, reason: 'not during business hours' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'REJECTED',
      decisionChannel: 'REST',
      decisionReason: 'not during business hours',
    });
    const note = await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text.includes('was rejected'),
    );
    expect(note.text).toContain('Nothing was run');
    expect(note.text).toContain('not during business hours');

    const again = await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
    const socketAgain = await admin.emit<{ ok: boolean; error: { code: string } }>('approval:respond', {
      id: requested.id,
      approved: true,
    });
    expect(socketAgain).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(custodian.runs.filter((r) => r.command === 'restart')).toHaveLength(0);
  });

  it('a MEMBER cannot approve (own or others’), sees only their own approvals; an admin decides for them', async () => {
    const alice = await createUser(t, 'alice');
    const bob = await createUser(t, 'bob');
    const aliceSocket = await connect(t, alice.token);
    try {
      const thread = await newThread(t, alice.token);
      const requested = await requestApproval(aliceSocket, thread, 'clean /var/cache');
      await aliceSocket.waitFor<ApprovalRequestedEvent>('approval:requested', (a) => a.id === requested.id);

      const own = await t
        .http()
        .post(`/api/approvals/${requested.id}/decision`)
        .set(auth(alice.token))
        .send({ approved: true });
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('FORBIDDEN');
      const others = await t
        .http()
        .post(`/api/approvals/${requested.id}/decision`)
        .set(auth(bob.token))
        .send({ approved: true });
      expect(others.status).toBe(403);
      const viaSocket = await aliceSocket.emit<{ ok: boolean; error: { code: string } }>('approval:respond', {
        id: requested.id,
        approved: true,
      });
      expect(viaSocket).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await t.http().get(`/api/approvals/${requested.id}`).set(auth(bob.token)).expect(403);
      expect((await t.http().get('/api/approvals').set(auth(bob.token))).body.items).toHaveLength(0);
      const aliceList = (await t.http().get('/api/approvals?status=PENDING').set(auth(alice.token))).body
        .items as ApprovalDto[];
      expect(aliceList.map((a) => a.id)).toEqual([requested.id]);
      await t.http().get('/api/approvals/rules').set(auth(alice.token)).expect(403);

      await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
      const update = await aliceSocket.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.startsWith('Update:'),
      );
      expect(update.text).toContain('clean done (/var/cache)');
      await aliceSocket.waitFor<ApprovalUpdatedEvent>(
        'approval:updated',
        (u) => u.id === requested.id && u.status === 'SUCCEEDED',
      );
    } finally {
      aliceSocket.close();
    }
  });

  it('two simultaneous decisions: exactly one wins, the command runs once', async () => {
    const second = await createUser(t, 'second-admin', 'ADMIN');
    const secondSocket = await connect(t, second.token);
    try {
      const thread = await newThread(t, t.adminToken);
      const requested = await requestApproval(admin, thread, 'clean /race');
      const results = await Promise.all([
        t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }),
        t.http().post(`/api/approvals/${requested.id}/decision`).set(auth(second.token)).send({ approved: true }),
        secondSocket.emit<{ ok: boolean; error?: { code: string } }>('approval:respond', {
          id: requested.id,
          approved: false,
        }),
        admin.emit<{ ok: boolean; error?: { code: string } }>('approval:respond', { id: requested.id, approved: true }),
      ]);
      const [rest1, rest2, sock1, sock2] = results;
      const wins = [rest1.status === 200, rest2.status === 200, sock1.ok, sock2.ok].filter(Boolean);
      expect(wins).toHaveLength(1);
      for (const r of [rest1, rest2]) if (r.status !== 200) expect(r.body.code).toBe('CONFLICT');
      for (const s of [sock1, sock2]) if (!s.ok) expect(s.error?.code).toBe('CONFLICT');
      await until(
        async () =>
          ((await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto).status !==
            'RUNNING' || false,
      );
      await sleep(300);
      const final = (await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto;
      expect(custodian.runs.filter((r) => r.args === '/race')).toHaveLength(final.status === 'REJECTED' ? 0 : 1);
    } finally {
      secondSocket.close();
    }
  });

  it('"always allow" (widened to a pattern) stores a rule that approves the next covered request by itself, until an admin revokes it', async () => {
    const thread = await newThread(t, t.adminToken);
    const first = await requestApproval(admin, thread, 'clean /logs');
    await t
      .http()
      .post(`/api/approvals/${first.id}/decision`)
      .set(auth())
      .send({ approved: true, remember: 'always', rule: { pattern: 'clean /*' } })
      .expect(200);
    const rules = (await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[];
    expect(rules).toEqual([
      expect.objectContaining({
        agentId: custodian.id,
        agentName: 'Storage-Custodian',
        commandName: 'clean',
        pattern: 'clean /*',
      }),
    ]);
    await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.text.startsWith('Update:'),
    );

    // Other arguments the pattern covers: runs at once, answered inside the same turn.
    const reply = await ask(admin, butler, thread, toolCall('Storage-Custodian', 'clean /spool'));
    expect(reply.text).toContain('clean done (/spool)');
    const auto = ((await t.http().get('/api/approvals?status=SUCCEEDED').set(auth())).body.items as ApprovalDto[]).find(
      (a) => a.command === 'clean /spool',
    )!;
    expect(auto).toMatchObject({
      decisionChannel: 'RULE',
      decisionReason: expect.stringContaining(`allow-rule #${rules[0].id}`),
    });

    await t.http().delete(`/api/approvals/rules/${rules[0].id}`).set(auth()).expect(204);
    await t.http().delete(`/api/approvals/rules/${rules[0].id}`).set(auth()).expect(404);
    await requestApproval(admin, thread, 'clean /again');
  });

  it('asks several agents read-only questions in one turn, in parallel, without approvals', async () => {
    const spans: { start: number; end: number }[] = [];
    const slowAgent = (result: string) => async () => {
      const span = { start: Date.now(), end: 0 };
      spans.push(span);
      await sleep(400);
      span.end = Date.now();
      return { ok: true, result };
    };
    const sensor = await startAgent(
      t,
      'Slow-Sensor',
      [{ name: 'get_status', readOnly: true }],
      slowAgent('sensor fine'),
    );
    const meter = await startAgent(t, 'Slow-Meter', [{ name: 'get_status', readOnly: true }], slowAgent('meter fine'));
    await confirmReadOnly(t, sensor.id, 'get_status');
    await confirmReadOnly(t, meter.id, 'get_status');
    try {
      const reply = await ask(
        admin,
        butler,
        await newThread(t, t.adminToken),
        `${toolCall('Slow-Sensor', 'get_status')} ${toolCall('Slow-Meter', 'get_status')}`,
      );
      expect(reply.text).toContain('sensor fine');
      expect(reply.text).toContain('meter fine');
      expect(reply.text).not.toContain('APPROVAL_REQUIRED');
      // Both questions were out at the same time: the second started before the first finished.
      expect(spans).toHaveLength(2);
      expect(Math.max(spans[0].start, spans[1].start)).toBeLessThan(Math.min(spans[0].end, spans[1].end));
    } finally {
      sensor.probe.close();
      meter.probe.close();
    }
  });

  it('validates decisions', async () => {
    const bad = await t
      .http()
      .post('/api/approvals/1/decision')
      .set(auth())
      .send({ approved: 'yes', remember: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['approved', 'remember']);
    await t.http().post('/api/approvals/99999/decision').set(auth()).send({ approved: true }).expect(404);
    await t.http().get('/api/approvals?status=NOPE').set(auth()).expect(400);
    const socketBad = await admin.emit<{ ok: boolean; error: { code: string } }>('approval:respond', { id: 'one' });
    expect(socketBad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('approvals with APPROVAL_POLICY=always and APPROVAL_REQUESTER_MAY_APPROVE', () => {
  let t: TestApp;
  let butler: number;
  let agent: Awaited<ReturnType<typeof startAgent>>;

  beforeAll(async () => {
    t = await startTestApp({ APPROVAL_POLICY: 'always', APPROVAL_REQUESTER_MAY_APPROVE: 'true' });
    butler = await butlerId(t, t.adminToken);
    agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'healthy' }));
  });
  afterAll(async () => {
    agent?.probe.close();
    await t?.close();
  });

  it('needs an approval even for a read-only command, and lets the requester (a member) decide', async () => {
    const member = await createUser(t, 'carol');
    const socket = await connect(t, member.token);
    try {
      const thread = await newThread(t, member.token);
      const reply = await ask(socket, butler, thread, 'ask Storage-Custodian to get_status');
      expect(reply.text).toContain('needs a human approval');
      const requested = await socket.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      const ack = await socket.emit<{ ok: boolean; approval: ApprovalDto }>('approval:respond', {
        id: requested.id,
        approved: true,
      });
      expect(ack.ok).toBe(true);
      const update = await socket.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.conversationId === thread && m.text.includes('was approved by carol'),
      );
      // The output is shown once, in the approval card (the approval's result), not again in the Butler's words.
      expect(update.text).toContain('output is in the approval card');
      expect(update.text).not.toContain('healthy');
      const decided = await t
        .http()
        .get(`/api/approvals/${requested.id}`)
        .set('authorization', `Bearer ${member.token}`);
      expect(decided.body.result ?? decided.body.approval?.result).toContain('healthy');
      // A member still cannot create allow-rules.
      const second = await ask(socket, butler, thread, 'ask Storage-Custodian to get_status');
      expect(second.text).toContain('needs a human approval');
      const next = await socket.waitFor<ApprovalRequestedEvent>('approval:requested', (a) => a.id !== requested.id);
      const remember = await socket.emit<{ ok: boolean; error: { code: string } }>('approval:respond', {
        id: next.id,
        approved: true,
        remember: 'always',
      });
      expect(remember).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      socket.close();
    }
  });
});
