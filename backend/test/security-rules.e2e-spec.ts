import { DataSource } from 'typeorm';
import type { AllowRuleDto, ApprovalDto, AuditEntryDto, MonitorEventDto } from '@echocenter/contracts';
import { AllowRule } from '../src/approvals/allow-rule.entity';
import { ApprovalsService } from '../src/approvals/approvals.service';
import type { AuthActor } from '../src/auth/auth-actor';
import type { CommandPolicy } from '@echocenter/contracts';
import { connect, startAgent, until } from './fakes/butler-kit';
import { createUser, startTestApp, type TestApp } from './support/test-app';

/**
 * Hole 5 of issue 19: "always allow" was a rule for any arguments, any requester, forever. Rules are now
 * the exact command by default, widened only token by token, optionally per requester, and they expire.
 * Requests go straight to ApprovalsService.request (what the Butler's tool calls), so each case is one call.
 */
describe('allow-rules are narrow (issue 19, hole 5)', () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let admin: AuthActor;
  let member: AuthActor & { token: string };
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

  /** What the Butler's tool does: ask for a command as `requester`; a covering rule decides it at once. */
  const request = (command: string, requester: AuthActor = admin, policy?: CommandPolicy) =>
    t.app.get(ApprovalsService).request({
      conversationId: null,
      requester,
      agentId: agent.id,
      agentName: 'Fleet-Ops',
      command,
      reasoning: 'test',
      policy,
    });
  const decidedByRule = async (command: string, requester?: AuthActor, policy?: CommandPolicy) =>
    (await request(command, requester, policy)).approval.decisionChannel === 'RULE';

  /** Approves a fresh request for `command` with "always allow" (and `rule`); returns the rule made. */
  async function alwaysAllow(command: string, rule?: object, requester: AuthActor = admin): Promise<AllowRuleDto> {
    const { approval } = await request(command, requester);
    expect(approval.status).toBe('PENDING');
    const res = await t
      .http()
      .post(`/api/approvals/${approval.id}/decision`)
      .set(auth())
      .send({ approved: true, remember: 'always', rule });
    expect(res.status).toBe(200);
    const rules = (await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[];
    return rules.find((r) => r.approvalId === approval.id)!;
  }

  const revokeAll = async () => {
    for (const r of (await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[]) {
      await t.http().delete(`/api/approvals/rules/${r.id}`).set(auth()).expect(204);
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await startAgent(
      t,
      'Fleet-Ops',
      [
        { name: 'restart_service', args: '<name>' },
        { name: 'wipe_disk', args: '<disk>' },
      ],
      () => ({ ok: true, result: 'done' }),
    );
    const me = (await t.http().get('/api/auth/me').set(auth())).body as { id: number; username: string };
    admin = { id: me.id, name: me.username, kind: 'ADMIN' };
    const carol = await createUser(t, 'carol');
    member = { id: carol.user.id, name: 'carol', kind: 'MEMBER', token: carol.token };
  });
  afterEach(revokeAll);
  afterAll(async () => {
    agent?.probe.close();
    await t?.close();
  });

  it('a rule made with the default covers the exact command only: not other arguments, not extra ones', async () => {
    const rule = await alwaysAllow('restart_service web-1');
    expect(await decidedByRule('restart_service db-1')).toBe(false);
    expect(await decidedByRule('restart_service web-1 --force')).toBe(false);
    expect(await decidedByRule('restart_service web-1; rm -rf /')).toBe(false);
    expect(await decidedByRule('restart_service web-1')).toBe(true);
    expect(rule).toMatchObject({ commandName: 'restart_service', pattern: 'restart_service web-1', requesterId: null });
  });

  it('a widened glob covers other plain arguments, but not shell syntax or extra arguments', async () => {
    await alwaysAllow('restart_service web-1', { pattern: 'restart_service web-*' });
    expect(await decidedByRule('restart_service web-2')).toBe(true);
    expect(await decidedByRule('restart_service web-2; rm')).toBe(false);
    expect(await decidedByRule('restart_service web-2;rm')).toBe(false);
    expect(await decidedByRule('restart_service web-2 rm')).toBe(false);
    expect(await decidedByRule('restart_service web-2\u202e')).toBe(false);
    expect(await decidedByRule('restart_service db-2')).toBe(false);
  });

  it('a rule limited to a requester does not fire for another requester', async () => {
    await alwaysAllow('restart_service web-1', { requesterId: member.id }, member);
    const rule = ((await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[])[0];
    expect(rule).toMatchObject({ requesterId: member.id, requesterName: 'carol' });
    expect(await decidedByRule('restart_service web-1', admin)).toBe(false);
    expect(await decidedByRule('restart_service web-1', member)).toBe(true);
  });

  it('an expired rule does not fire', async () => {
    const rule = await alwaysAllow('restart_service web-1', { expiresInDays: 1 });
    expect(new Date(rule.expiresAt!).getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(await decidedByRule('restart_service web-1')).toBe(true);
    await t.app
      .get(DataSource)
      .getRepository(AllowRule)
      .update({ id: rule.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await decidedByRule('restart_service web-1')).toBe(false);
  });

  it('a rule expires after 30 days by default', async () => {
    const rule = await alwaysAllow('restart_service web-1');
    const days = (new Date(rule.expiresAt!).getTime() - new Date(rule.createdAt).getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('a DESTRUCTIVE request is never decided by a rule, and "always allow" on one is refused', async () => {
    await alwaysAllow('wipe_disk sdb', { pattern: 'wipe_disk sd*' });
    expect(await decidedByRule('wipe_disk sdc')).toBe(true);
    const destructive = await request('wipe_disk sdc', admin, 'DESTRUCTIVE');
    expect(destructive.approval).toMatchObject({ status: 'PENDING', policy: 'DESTRUCTIVE' });
    const listed = (await t.http().get(`/api/approvals/${destructive.approval.id}`).set(auth())).body as ApprovalDto;
    expect(listed.policy).toBe('DESTRUCTIVE');

    const refused = await t
      .http()
      .post(`/api/approvals/${destructive.approval.id}/decision`)
      .set(auth())
      .send({ approved: true, remember: 'always' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'remember' })]);
    // Nothing was decided: the admin can still approve it once, by hand.
    const once = await t
      .http()
      .post(`/api/approvals/${destructive.approval.id}/decision`)
      .set(auth())
      .send({ approved: true });
    expect(once.status).toBe(200);
    expect(
      ((await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[]).map((r) => r.pattern),
    ).toEqual(['wipe_disk sd*']);
  });

  it('lists who made a rule, from which approval, and how often and when it fired; revoking is audited', async () => {
    const { approval } = await request('restart_service web-7');
    await t
      .http()
      .post(`/api/approvals/${approval.id}/decision`)
      .set(auth())
      .send({ approved: true, remember: 'always' })
      .expect(200);
    let [rule] = (await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[];
    expect(rule).toMatchObject({
      approvalId: approval.id,
      createdBy: admin.id,
      createdByName: 'admin',
      hits: 0,
      lastUsedAt: null,
      agentName: 'Fleet-Ops',
    });

    const fired = await Promise.all([request('restart_service web-7'), request('restart_service web-7')]);
    expect(fired.map((f) => f.approval.decisionChannel)).toEqual(['RULE', 'RULE']);
    expect(fired[0].approval.decisionReason).toContain(`allow-rule #${rule.id}`);
    [rule] = (await t.http().get('/api/approvals/rules').set(auth())).body as AllowRuleDto[];
    expect(rule.hits).toBe(2);
    expect(rule.lastUsedAt).toEqual(expect.any(String));
    // The agent's transcript says which decision let each command run (ApprovalTranscript listens to 'approvals.changed').
    await until(
      async () => {
        const lines = (
          (await t.http().get(`/api/butler/monitor?agentId=${agent.id}&limit=200`).set(auth())).body
            .items as MonitorEventDto[]
        ).map((e) => e.text);
        return (
          lines.includes(`approval #${approval.id} approved by admin via REST: restart_service web-7`) &&
          lines.includes(
            `approval #${fired[0].approval.id} approved by ${fired[0].approval.decisionReason}: restart_service web-7`,
          )
        );
      },
      3000,
      'the decisions in the monitor transcript',
    );

    await t.http().delete(`/api/approvals/rules/${rule.id}`).set(auth()).expect(204);
    expect(await decidedByRule('restart_service web-7')).toBe(false);
    const audit = (await t.http().get('/api/audit?targetType=rule').set(auth())).body.items as AuditEntryDto[];
    expect(audit.filter((e) => e.targetId === rule.id).map((e) => e.action)).toEqual(['rule.revoked', 'rule.created']);
  });

  it('rejects a bad rule with field messages (REST and socket) and decides nothing', async () => {
    const { approval } = await request('restart_service web-1');
    const decide = (body: object) =>
      t
        .http()
        .post(`/api/approvals/${approval.id}/decision`)
        .set(auth())
        .send({ approved: true, remember: 'always', ...body });
    const fields = (res: { body: { details?: { field: string }[] } }) =>
      (res.body.details ?? []).map((d) => d.field).sort();

    const shape = await decide({ rule: { pattern: 7, requesterId: 'me', expiresInDays: 400, extra: true } });
    expect(shape.status).toBe(400);
    expect(fields(shape)).toEqual(
      expect.arrayContaining(['rule.expiresInDays', 'rule.extra', 'rule.pattern', 'rule.requesterId']),
    );
    const invisible = await decide({ rule: { pattern: 'restart_service web-\u202e*' } });
    expect(invisible.status).toBe(400);
    expect(fields(invisible)).toContain('rule.pattern');
    for (const pattern of ['other_command web-1', 'restart_service db-*', 'restart_service web-1 …']) {
      const res = await decide({ rule: { pattern } });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['rule.pattern']);
    }
    const otherRequester = await decide({ rule: { requesterId: member.id } });
    expect(fields(otherRequester)).toEqual(['rule.requesterId']);
    const ruleAlone = await t
      .http()
      .post(`/api/approvals/${approval.id}/decision`)
      .set(auth())
      .send({ approved: true, rule: {} });
    expect(fields(ruleAlone)).toEqual(['rule']);

    const socket = await connect(t, t.adminToken);
    try {
      const ack = await socket.emit<{ ok: boolean; error: { code: string; details: { field: string }[] } }>(
        'approval:respond',
        {
          id: approval.id,
          approved: true,
          remember: 'always',
          rule: { pattern: 'restart_service\u0000 web-*', expiresInDays: 0 },
        },
      );
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(ack.error.details.map((d) => d.field).sort()).toEqual(['rule.expiresInDays', 'rule.pattern']);
      const notObject = await socket.emit<{ ok: boolean; error: { details: { field: string }[] } }>(
        'approval:respond',
        { id: approval.id, approved: true, rule: 'wide' },
      );
      expect(notObject.error.details.map((d) => d.field)).toEqual(['rule']);
    } finally {
      socket.close();
    }
    expect(((await t.http().get(`/api/approvals/${approval.id}`).set(auth())).body as ApprovalDto).status).toBe(
      'PENDING',
    );
    expect((await t.http().get('/api/approvals/rules').set(auth())).body).toEqual([]);
  });

  it('a rule stops firing when its maker is no longer an enabled admin (demoted or disabled)', async () => {
    const ann = await createUser(t, 'ann-admin', 'ADMIN');
    const { approval } = await request('restart_service web-7');
    await t
      .http()
      .post(`/api/approvals/${approval.id}/decision`)
      .set(auth(ann.token))
      .send({ approved: true, remember: 'always' })
      .expect(200);
    expect(await decidedByRule('restart_service web-7')).toBe(true);
    await t.http().patch(`/api/users/${ann.user.id}`).set(auth()).send({ role: 'MEMBER' }).expect(200);
    expect(await decidedByRule('restart_service web-7')).toBe(false);
    await t.http().patch(`/api/users/${ann.user.id}`).set(auth()).send({ role: 'ADMIN', disabled: true }).expect(200);
    expect(await decidedByRule('restart_service web-7')).toBe(false);
    await t.http().patch(`/api/users/${ann.user.id}`).set(auth()).send({ disabled: false }).expect(200);
    expect(await decidedByRule('restart_service web-7')).toBe(true);
  });

  it('MEMBERs still cannot create rules, not even with a scope', async () => {
    const { approval } = await request('restart_service web-1', member);
    const res = await t
      .http()
      .post(`/api/approvals/${approval.id}/decision`)
      .set(auth(member.token))
      .send({ approved: true, remember: 'always', rule: { requesterId: member.id } });
    expect(res.status).toBe(403);
    await t.http().get('/api/approvals/rules').set(auth(member.token)).expect(403);
    await t.http().delete('/api/approvals/rules/1').set(auth(member.token)).expect(403);
  });
});
