import type { ApprovalDto, ApprovalRequestedEvent, AuditEntryDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every approval decision leaves exactly one audit row naming who decided, what and through which channel:
 * the console's socket, REST, and an allow-rule's automatic approval (links: notifications-links.e2e-spec).
 */
describe('approval decisions are audited once, whatever the channel', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    custodian = await startAgent(t, 'Audit-Custodian', [{ name: 'clean', args: '<path>' }], (run) => ({
      ok: true,
      result: `cleaned ${run.args}`,
    }));
  });
  afterAll(async () => {
    admin?.close();
    custodian?.probe.close();
    await t?.close();
  });

  async function request(command: string): Promise<ApprovalRequestedEvent> {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, `Audit-Custodian: ${command}`);
    return admin.waitFor<ApprovalRequestedEvent>('approval:requested', (r) => r.conversationId === thread);
  }
  const rowsFor = async (id: number) =>
    (
      (await t.http().get('/api/audit').query({ targetType: 'approval', limit: 200 }).set(auth()).expect(200)).body
        .items as AuditEntryDto[]
    ).filter((e) => e.targetId === id);

  it('a REST approval (edited) leaves one approval.approved row with who, what and channel rest; a late second decision adds none', async () => {
    const requested = await request('clean /tmp');
    await t
      .http()
      .post(`/api/approvals/${requested.id}/decision`)
      .set(auth())
      .send({ approved: true, command: 'clean /tmp/old', reason: 'old files only' })
      .expect(200);
    expect(
      (await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: false })).status,
    ).toBe(409);
    const rows = await rowsFor(requested.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'approval.approved',
      actorName: 'admin',
      targetName: 'Audit-Custodian: clean /tmp/old',
      details: expect.objectContaining({ channel: 'rest', reason: 'old files only', edited: true }),
    });
  });

  it('a console (socket) rejection leaves one approval.rejected row with channel socket', async () => {
    const requested = await request('clean /var');
    const ack = await admin.emit<{ ok: boolean; approval: ApprovalDto }>('approval:respond', {
      id: requested.id,
      approved: false,
      reason: 'not now',
    });
    expect(ack.ok).toBe(true);
    const late = await admin.emit<{ ok: boolean }>('approval:respond', { id: requested.id, approved: true });
    expect(late.ok).toBe(false);
    const rows = await rowsFor(requested.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'approval.rejected',
      actorName: 'admin',
      details: expect.objectContaining({ channel: 'socket', reason: 'not now', edited: false }),
    });
  });

  it('a console (socket) approval and an allow-rule auto-approval each leave one row (channels socket and rule)', async () => {
    const first = await request('clean /srv');
    const ack = await admin.emit<{ ok: boolean }>('approval:respond', {
      id: first.id,
      approved: true,
      remember: 'always',
    });
    expect(ack.ok).toBe(true);
    expect(await rowsFor(first.id)).toEqual([
      expect.objectContaining({ action: 'approval.approved', details: expect.objectContaining({ channel: 'socket' }) }),
    ]);

    // The rule now decides the same text at once: an APPROVED approval, audited as the rule maker's decision.
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'Audit-Custodian: clean /srv');
    let auto: ApprovalDto | undefined;
    await until(
      async () => {
        const page = (await t.http().get('/api/approvals').query({ agentId: custodian.id }).set(auth()).expect(200))
          .body.items as ApprovalDto[];
        auto = page.find((a) => a.conversationId === thread);
        return auto !== undefined;
      },
      8000,
      'the rule-approved approval',
    );
    expect(auto!.decisionChannel).toBe('RULE');
    const rows = await rowsFor(auto!.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'approval.approved',
      actorName: 'admin',
      details: expect.objectContaining({ channel: 'rule', ruleId: expect.any(Number) }),
    });
  });
});
