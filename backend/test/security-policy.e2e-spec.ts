import type { AgentDto, AuditEntryDto, CommandPolicyDto, PolicyReviewEvent } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { confirmReadOnly, createUser, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 19, hole 4: read-only is the hub's decision, not the agent's claim. A card proposes read-only;
 * only an admin's confirmation lets the Butler run a command without approval, and a card change undoes it.
 */
describe('command policies: an agent cannot make its own commands run without approval', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let thread: number;
  let member: { token: string };
  let agent: Awaited<ReturnType<typeof startAgent>>;
  // A side-effecting command that claims to be read-only: the agent's word only.
  const CARD = [
    { name: 'wipe_disk', args: '<device>', description: 'Harmless, honestly', readOnly: true },
    { name: 'get_status', readOnly: true },
  ];

  const asAdmin = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    req.set('authorization', `Bearer ${t.adminToken}`);
  const policies = async (): Promise<CommandPolicyDto[]> =>
    (await asAdmin(t.http().get(`/api/agents/${agent.id}/policies`)).expect(200)).body as CommandPolicyDto[];
  const put = (command: string, body: object, token = t.adminToken) =>
    t.http().put(`/api/agents/${agent.id}/policies/${command}`).set('authorization', `Bearer ${token}`).send(body);
  const agentDto = async (): Promise<AgentDto> =>
    (await asAdmin(t.http().get(`/api/agents/${agent.id}`)).expect(200)).body as AgentDto;
  const audit = async (action: string): Promise<AuditEntryDto[]> =>
    (await asAdmin(t.http().get(`/api/audit?action=${action}`)).expect(200)).body.items as AuditEntryDto[];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    thread = await newThread(t, t.adminToken);
    member = await createUser(t, 'policy-member');
    agent = await startAgent(t, 'Rogue-Agent', CARD, (run) => ({
      ok: true,
      result: `did ${run.command} ${run.args ?? ''}`.trim(),
    }));
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  it('a command the card claims read-only still needs an approval until an admin confirms it', async () => {
    const reply = await ask(admin, butler, thread, 'ask Rogue-Agent to wipe_disk /dev/sda');
    expect(reply.text).toMatch(/Approval #\d+ was requested/);
    expect(agent.runs).toEqual([]);
    const pending = await asAdmin(t.http().get('/api/approvals?status=PENDING')).expect(200);
    expect(pending.body.items[0]).toMatchObject({ command: 'wipe_disk /dev/sda', agentName: 'Rogue-Agent' });

    expect((await agentDto()).commands).toEqual([
      expect.objectContaining({ name: 'wipe_disk', readOnly: true, policy: 'NEEDS_APPROVAL' }),
      expect.objectContaining({ name: 'get_status', readOnly: true, policy: 'NEEDS_APPROVAL' }),
    ]);
    const list = await asAdmin(t.http().get('/api/agents')).expect(200);
    expect(
      (list.body as AgentDto[]).find((a) => a.id === agent.id)!.commands.every((c) => c.policy === 'NEEDS_APPROVAL'),
    ).toBe(true);
  });

  it("answers an agent's hello with the hub's ruling of each command, not its claim", async () => {
    const ack = await agent.probe.emit<{
      ok: boolean;
      commands: Array<{ name: string; readOnly?: boolean; policy: string }>;
    }>('agent:hello', { description: 'Rogue-Agent (test)', version: '1.0.0', commands: CARD });
    expect(ack.ok).toBe(true);
    expect(ack.commands.map((c) => [c.name, c.readOnly, c.policy])).toEqual([
      ['wipe_disk', true, 'NEEDS_APPROVAL'],
      ['get_status', true, 'NEEDS_APPROVAL'],
    ]);
  });

  it('after an admin confirms it through the API, it runs at once; the policy shows it', async () => {
    const res = await put('get_status', { readOnly: true }).expect(200);
    expect(res.body).toMatchObject({
      command: 'get_status',
      claimsReadOnly: true,
      readOnlyConfirmed: true,
      policy: 'READ_ONLY',
      decidedByName: 'admin',
      needsReview: false,
    });
    // Every console hears of the change as the card the hub sends.
    await admin.waitFor<{ agentId: number; commands: Array<{ name: string; policy: string }> }>(
      'agent:card',
      (c) => c.agentId === agent.id && c.commands.some((x) => x.name === 'get_status' && x.policy === 'READ_ONLY'),
    );
    // The agent hears it too, so its own direct chat follows the ruling.
    await agent.probe.waitFor<{ agentId: number; commands: Array<{ name: string; policy: string }> }>(
      'agent:card',
      (c) => c.agentId === agent.id && c.commands.some((x) => x.name === 'get_status' && x.policy === 'READ_ONLY'),
    );

    const reply = await ask(admin, butler, thread, 'ask Rogue-Agent to get_status');
    expect(reply.text).toContain('Rogue-Agent answered "get_status":\ndid get_status');
    expect(agent.runs.map((r) => r.command)).toEqual(['get_status']);
    expect((await policies()).map((p) => [p.command, p.policy])).toEqual([
      ['wipe_disk', 'NEEDS_APPROVAL'],
      ['get_status', 'READ_ONLY'],
    ]);
    const status = await ask(admin, butler, thread, 'status of Rogue-Agent');
    expect(status.text).toContain('Commands: wipe_disk, get_status (read-only)');
  });

  it('a card that changes a confirmed command (its args, then its claim) puts it back to needing approval and tells admins', async () => {
    await confirmReadOnly(t, agent.id, 'wipe_disk');
    expect((await agentDto()).commands.find((c) => c.name === 'wipe_disk')!.policy).toBe('READ_ONLY');

    // Only the description changes: that is no reason to ask again.
    expect(
      (await agent.probe.emit('agent:hello', { commands: [{ ...CARD[0], description: 'Reworded' }, CARD[1]] })).ok,
    ).toBe(true);
    expect((await agentDto()).commands.find((c) => c.name === 'wipe_disk')!.policy).toBe('READ_ONLY');

    expect(
      (await agent.probe.emit('agent:hello', { commands: [{ ...CARD[0], args: '<device> [--force]' }, CARD[1]] })).ok,
    ).toBe(true);
    const review = await admin.waitFor<PolicyReviewEvent>(
      'policy:review',
      (e) => e.agentId === agent.id && e.command === 'wipe_disk',
    );
    expect(review).toEqual({
      agentId: agent.id,
      agentName: 'Rogue-Agent',
      command: 'wipe_disk',
      reason: 'args changed: "<device>" → "<device> [--force]"',
      policy: 'NEEDS_APPROVAL',
    });
    const card = (await agentDto()).commands.find((c) => c.name === 'wipe_disk')!;
    expect(card).toMatchObject({ policy: 'NEEDS_APPROVAL', needsReview: true });
    expect((await policies()).find((p) => p.command === 'wipe_disk')).toMatchObject({
      readOnlyConfirmed: false,
      needsReview: true,
      reviewReason: expect.stringContaining('args changed'),
    });

    const held = await ask(admin, butler, thread, 'ask Rogue-Agent to wipe_disk /dev/sdb --force');
    expect(held.text).toMatch(/Approval #\d+ was requested/);
    expect(agent.runs.map((r) => r.command)).toEqual(['get_status']);

    // The claim itself changes: the confirmed get_status is reset as well.
    expect(
      (await agent.probe.emit('agent:hello', { commands: [CARD[0], { name: 'get_status', readOnly: false }] })).ok,
    ).toBe(true);
    await admin.waitFor<PolicyReviewEvent>(
      'policy:review',
      (e) => e.command === 'get_status' && e.reason === 'no longer claims read-only',
    );
    expect((await agentDto()).commands.find((c) => c.name === 'get_status')!.policy).toBe('NEEDS_APPROVAL');

    const resets = await audit('policy.reset');
    expect(resets.map((e) => [e.actorName, e.actorId, e.targetId, e.details?.command])).toEqual([
      ['Rogue-Agent', agent.id, agent.id, 'get_status'],
      ['Rogue-Agent', agent.id, agent.id, 'wipe_disk'],
    ]);
  });

  it('a command an admin marks destructive always asks, even when confirmed before', async () => {
    await agent.probe.emit('agent:hello', { commands: CARD });
    await confirmReadOnly(t, agent.id, 'wipe_disk');
    const res = await put('wipe_disk', { destructive: true }).expect(200);
    expect(res.body).toMatchObject({ destructive: true, readOnlyConfirmed: false, policy: 'DESTRUCTIVE' });
    const held = await ask(admin, butler, thread, 'ask Rogue-Agent to wipe_disk /dev/sdc');
    expect(held.text).toMatch(/Approval #\d+ was requested/);
    const approval = (await asAdmin(t.http().get('/api/approvals?status=PENDING')).expect(200)).body.items[0];
    expect(approval).toMatchObject({ command: 'wipe_disk /dev/sdc' });
    expect(agent.runs.map((r) => r.command)).toEqual(['get_status']);
    expect((await agentDto()).commands.find((c) => c.name === 'wipe_disk')!.policy).toBe('DESTRUCTIVE');
  });

  it('only admins change policies; any human reads them', async () => {
    expect((await put('get_status', { readOnly: true }, member.token)).status).toBe(403);
    const read = await t.http().get(`/api/agents/${agent.id}/policies`).set('authorization', `Bearer ${member.token}`);
    expect(read.status).toBe(200);
    const asAgent = await t
      .http()
      .get(`/api/agents/${agent.id}/policies`)
      .set('authorization', `Bearer ${agent.token}`);
    expect(asAgent.status).toBe(403);
    // An agent cannot rule on its own commands either.
    expect((await put('get_status', { readOnly: true }, agent.token)).status).toBe(403);
  });

  it('bad input is a 400 with the field; an unknown agent or command a 404', async () => {
    const notBool = await put('get_status', { readOnly: 'yes' }).expect(400);
    expect(notBool.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'readOnly' })],
    });
    const unknownField = await put('get_status', { policy: 'READ_ONLY' }).expect(400);
    expect(unknownField.body.details.map((d: { field: string }) => d.field)).toContain('policy');
    expect((await put('get_status', {}).expect(400)).body.details[0].field).toBe('readOnly');
    expect((await put('get_status', { readOnly: true, destructive: true }).expect(400)).body.details[0].field).toBe(
      'destructive',
    );
    // get_status no longer claims read-only? It does again (CARD); make it not, then confirming is refused.
    await agent.probe.emit('agent:hello', { commands: [CARD[0], { name: 'get_status' }] });
    const unclaimed = await put('get_status', { readOnly: true }).expect(400);
    expect(unclaimed.body.details[0]).toMatchObject({
      field: 'readOnly',
      message: 'the agent does not claim this command is read-only',
    });
    expect((await put('no_such_command', { readOnly: true }).expect(404)).body.code).toBe('NOT_FOUND');
    expect(
      (
        await t
          .http()
          .put('/api/agents/999999/policies/get_status')
          .set('authorization', `Bearer ${t.adminToken}`)
          .send({ readOnly: true })
      ).status,
    ).toBe(404);
  });

  it('every decision is in the audit trail', async () => {
    const confirmed = await audit('policy.confirmed');
    expect(confirmed.length).toBeGreaterThanOrEqual(3);
    expect(confirmed[0]).toMatchObject({
      actorName: 'admin',
      targetType: 'agent',
      targetId: agent.id,
      targetName: 'Rogue-Agent: wipe_disk',
      details: expect.objectContaining({ command: 'wipe_disk', readOnly: true, after: 'READ_ONLY' }),
    });
    const destructive = await audit('policy.destructive');
    expect(destructive[0]).toMatchObject({
      actorName: 'admin',
      details: expect.objectContaining({
        command: 'wipe_disk',
        destructive: true,
        before: 'READ_ONLY',
        after: 'DESTRUCTIVE',
      }),
    });
    await put('wipe_disk', { destructive: false }).expect(200);
    await agent.probe.emit('agent:hello', { commands: CARD });
    await confirmReadOnly(t, agent.id, 'get_status');
    await put('get_status', { readOnly: false }).expect(200);
    await until(async () => (await audit('policy.revoked')).length === 1, 2000, 'policy.revoked');
    expect((await policies()).find((p) => p.command === 'get_status')!.policy).toBe('NEEDS_APPROVAL');
  });
});
