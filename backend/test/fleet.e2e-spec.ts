import { statSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FleetService, displayName } from '../src/fleet/fleet.service';
import type { AuditEntryDto, CommandPolicyDto } from '@echocenter/contracts';
import { connect } from './fakes/butler-kit';
import { startTestApp, type TestApp } from './support/test-app';

const catalog = {
  FLEET_AGENTS: ['storage-custodian', 'code-reviewer-ai'] as const,
  FLEET_DESCRIPTIONS: { 'storage-custodian': 'files', 'code-reviewer-ai': 'reviews' } as Record<string, string>,
};

describe('demo fleet provisioning', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const agents = async () =>
    (await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).body as Array<{
      id: number;
      name: string;
      tokenRotatedAt: string | null;
      description: string;
    }>;

  it('registers missing agents, keeps their tokens in a 0600 file, and reuses them', async () => {
    const fleet = t.app.get(FleetService);
    const first = await fleet.provision(catalog);
    expect(first.map((s) => s.program)).toEqual(['storage-custodian', 'code-reviewer-ai']);
    const file = join(t.config.dataDir, 'fleet-tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      'storage-custodian': first[0].token,
      'code-reviewer-ai': first[1].token,
    });
    expect((await agents()).map((a) => a.name)).toEqual(['Storage-Custodian', 'Code-Reviewer-AI']);

    const again = await fleet.provision(catalog);
    expect(again).toEqual(first);
    expect((await agents()).every((a) => a.tokenRotatedAt === null)).toBe(true);

    const ok = await t
      .http()
      .post('/api/logs')
      .set('authorization', `Bearer ${again[0].token}`)
      .send({ level: 'INFO', content: 'up' });
    expect(ok.status).toBe(201);
    expect(ok.body.agentName).toBe('Storage-Custodian');
  });

  it('rotates a token it no longer holds instead of failing', async () => {
    const fleet = t.app.get(FleetService);
    const before = await fleet.provision(catalog);
    rmSync(join(t.config.dataDir, 'fleet-tokens.json'));
    const after = await fleet.provision(catalog);
    expect(after[0].token).not.toBe(before[0].token);
    expect(
      (
        await t
          .http()
          .post('/api/logs')
          .set('authorization', `Bearer ${before[0].token}`)
          .send({ level: 'INFO', content: 'x' })
      ).status,
    ).toBe(401);
    expect((await agents()).every((a) => a.tokenRotatedAt !== null)).toBe(true);
    expect(await agents()).toHaveLength(2);
  });

  it("leaves the Ops-Runner's read-only probes to an admin: they reach real machines", async () => {
    const fleet = t.app.get(FleetService);
    const ops = {
      FLEET_AGENTS: ['ops-runner'] as const,
      FLEET_DESCRIPTIONS: { 'ops-runner': 'ssh' } as Record<string, string>,
      FLEET_READ_ONLY: { 'ops-runner': { uptime: '<node|tag:tag>' } },
      FLEET_ADMIN_CONFIRMS: ['ops-runner'],
    };
    const [runner] = await fleet.provision(ops);
    const { id } = (await agents()).find((a) => a.name === 'Ops-Runner')!;
    const agent = await connect(t, runner.token);
    await agent.emit('agent:hello', {
      commands: [
        { name: 'uptime', args: '<node|tag:tag>', readOnly: true },
        { name: 'run', args: '<node|tag:tag> <shell command>', readOnly: false },
      ],
    });
    const policies = (
      await t
        .http()
        .get(`/api/agents/${id}/policies`)
        .set({ authorization: `Bearer ${t.adminToken}` })
    ).body as CommandPolicyDto[];
    expect(policies.map((p) => [p.command, p.policy, p.decidedByName])).toEqual([
      ['uptime', 'NEEDS_APPROVAL', null],
      ['run', 'NEEDS_APPROVAL', null],
    ]);
    agent.close();
    await t
      .http()
      .delete(`/api/agents/${id}`)
      .set({ authorization: `Bearer ${t.adminToken}` });
  });

  it("confirms its own agents' read-only commands as its catalog lists them, once, and never over an admin's decision", async () => {
    const fleet = t.app.get(FleetService);
    const withReadOnly = {
      ...catalog,
      FLEET_READ_ONLY: { 'storage-custodian': { get_status: null, get_file: '<name>' } },
    };
    const [custodian] = await fleet.provision(withReadOnly);
    const { id } = (await agents()).find((a) => a.name === 'Storage-Custodian')!;
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const policies = async () =>
      (await t.http().get(`/api/agents/${id}/policies`).set(auth)).body as CommandPolicyDto[];

    // The card as the program sends it: get_file's args differ from the catalog, so it is reset and only get_status runs at once.
    const agent = await connect(t, custodian.token);
    await agent.emit('agent:hello', {
      commands: [
        { name: 'get_status', readOnly: true },
        { name: 'get_file', args: '<path>', readOnly: true },
        { name: 'cleanup_tmp', readOnly: false },
      ],
    });
    expect((await policies()).map((p) => [p.command, p.policy, p.decidedByName])).toEqual([
      ['get_status', 'READ_ONLY', 'system'],
      ['get_file', 'NEEDS_APPROVAL', 'system'],
      ['cleanup_tmp', 'NEEDS_APPROVAL', null],
    ]);
    const audit = (await t.http().get('/api/audit?action=policy.confirmed').set(auth)).body.items as AuditEntryDto[];
    expect(audit.map((e) => [e.actorId, e.actorName, e.targetName])).toEqual([
      [null, 'system', 'Storage-Custodian: get_file'],
      [null, 'system', 'Storage-Custodian: get_status'],
    ]);

    // An admin revokes it; a restart of the hub does not confirm it again.
    await t.http().put(`/api/agents/${id}/policies/get_status`).set(auth).send({ readOnly: false }).expect(200);
    await fleet.provision(withReadOnly);
    expect((await policies())[0]).toMatchObject({
      command: 'get_status',
      policy: 'NEEDS_APPROVAL',
      decidedByName: 'admin',
    });
    expect((await t.http().get('/api/audit?action=policy.confirmed').set(auth)).body.items).toHaveLength(2);
    agent.close();
  });

  it('names agents the way operators read them', () => {
    expect(displayName('code-reviewer-ai')).toBe('Code-Reviewer-AI');
    expect(displayName('echo-bot')).toBe('Echo-Bot');
  });
});
