import type { ApprovalRequestedEvent, CommandRunEvent, OpsNodeDto } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { ButlerIdentity } from '../src/butler/butler-identity.service';
import { CommandsService } from '../src/commands/commands.service';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { confirmReadOnly, createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

/**
 * What the hub itself enforces around node keys, with no SSH server needed: a scripted ops agent (a raw
 * socket that claims each command with an instance id the test chooses) asks for targets and keys the way
 * the Ops-Runner does, and the nodes' host keys are pinned straight in the database. The tag and name rules,
 * the claim a key is bound to, the probe arguments the hub checks, and who may touch one node.
 */
describe('ops: what the hub enforces before a key leaves', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let member: { token: string };
  let ops: Awaited<ReturnType<typeof startAgent>>;
  const claimed: CommandRunEvent[] = [];
  const INSTANCE = 'instance-a';
  const nodes: Record<string, OpsNodeDto> = {};
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });
  const asOps = (instance: string | null = INSTANCE) => ({
    ...auth(ops.token),
    ...(instance === null ? {} : { 'x-agent-instance': instance }),
  });

  beforeAll(async () => {
    t = await startTestApp({ OPS_AGENTS: 'ops-probe,ops-late' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    member = await createUser(t, 'mia');
    ops = await startAgent(
      t,
      'ops-probe',
      [
        { name: 'run', args: '<node|tag:tag> <shell command>', readOnly: false },
        { name: 'uptime', args: '<node|tag:tag>', readOnly: true },
        { name: 'service_status', args: '<node|tag:tag> <unit>', readOnly: true },
      ],
      () => null,
    );
    // Like the Ops-Runner's SDK: every command is claimed before it runs; the result comes when the test says.
    ops.probe.socket.on('command:run', (run: CommandRunEvent) => {
      void ops.probe
        .emit<{ ok: boolean; run?: boolean }>('command:claim', { commandId: run.commandId, instance: INSTANCE })
        .then((ack) => ack.ok && ack.run && claimed.push(run));
    });
    await confirmReadOnly(t, ops.id, 'uptime');
    const key = await t.http().post('/api/ops/keys').set(auth()).send({ name: 'k', generate: true }).expect(201);
    for (const [name, tag] of [
      ['web-1', 'a_b'],
      ['db-1', 'a-b'],
    ] as const) {
      const res = await t
        .http()
        .post('/api/ops/nodes')
        .set(auth())
        .send({ name, host: '127.0.0.1', port: 22, username: 'ops', keyId: key.body.id, tags: [tag] })
        .expect(201);
      nodes[tag] = res.body;
      // Pinned as an admin's confirmation would (that needs a real server; ops.e2e-spec.ts has one).
      await t.app
        .get(DataSource)
        .query('UPDATE ops_nodes SET host_key_fingerprint = ? WHERE id = ?', [`SHA256:${'A'.repeat(43)}`, res.body.id]);
    }
  }, 30_000);

  afterAll(async () => {
    ops?.probe.close();
    admin?.close();
    await t?.close();
  });

  /** Asks the Butler for an ops-probe command and returns the claimed run (approving it when asked to). */
  async function started(text: string): Promise<CommandRunEvent> {
    const thread = await newThread(t, t.adminToken);
    const before = claimed.length;
    void ask(admin, butler, thread, `ops-probe: ${text}`, 30_000).catch(() => undefined);
    await until(() => claimed.length > before, 8000, `the claimed run of "${text}"`);
    return claimed[claimed.length - 1]!;
  }
  const finish = (run: CommandRunEvent) =>
    ops.probe.emit('command:result', { commandId: run.commandId, ok: true, result: 'done' });
  const targets = (id: number, instance: string | null = INSTANCE) =>
    t.http().get(`/api/ops/agent/commands/${id}/targets`).set(asOps(instance));
  const credential = (id: number, node: string, instance: string | null = INSTANCE) =>
    t.http().post('/api/ops/agent/credentials').set(asOps(instance)).send({ commandId: id, node });
  /** A command straight through CommandsService, as a path that skipped the Butler's checks would make it. */
  async function direct(agent: { id: number; name: string }, text: string): Promise<number> {
    const from = await t.app.get(ButlerIdentity).ref();
    const cmd = await t.app
      .get(CommandsService)
      .run(
        { agentId: agent.id, agentName: agent.name, text, requestedBy: 1, conversationId: null, approvalId: null },
        from,
      );
    return cmd.id;
  }

  it('stores node names in lower case and matches them exactly, the same on SQLite and MariaDB', async () => {
    const mixed = await t
      .http()
      .post('/api/ops/nodes')
      .set(auth())
      .send({ name: 'Mixed-1', host: '127.0.0.1', username: 'ops', keyId: nodes['a_b']!.keyId })
      .expect(201);
    expect(mixed.body.name).toBe('mixed-1');
    const twin = await t
      .http()
      .post('/api/ops/nodes')
      .set(auth())
      .send({ name: 'MIXED-1', host: '127.0.0.1', username: 'ops', keyId: nodes['a_b']!.keyId });
    expect(twin.status).toBe(409);
    const renamed = await t.http().patch(`/api/ops/nodes/${nodes['a-b']!.id}`).set(auth()).send({ name: 'Web-1' });
    expect(renamed.status).toBe(409);

    const run = await started('uptime WEB-1');
    expect((await targets(run.commandId).expect(200)).body.map((n: { name: string }) => n.name)).toEqual(['web-1']);
    await finish(run);
    await t.http().delete(`/api/ops/nodes/${mixed.body.id}`).set(auth()).expect(204);
  });

  it('tag: matches the tag exactly: tag:a_b never reaches a node tagged a-b (LIKE would read _ as any character)', async () => {
    const run = await started('uptime tag:a_b');
    expect((await targets(run.commandId).expect(200)).body.map((n: { name: string }) => n.name)).toEqual(['web-1']);
    const other = await credential(run.commandId, 'db-1');
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('does not target');
    expect((await credential(run.commandId, 'web-1').expect(200)).body.privateKey).toMatch(/PRIVATE KEY/);
    await finish(run);

    // The approver is shown the same, exact list.
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ops-probe: run tag:a_b echo hi');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (r) => r.conversationId === thread,
    );
    expect(requested.targets).toEqual(['web-1']);
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: false }).expect(200);
  });

  it('releases a key only to the process that claimed the command, not to another holding the same token', async () => {
    const run = await started('uptime web-1');
    for (const instance of [null, 'instance-b']) {
      const res = await credential(run.commandId, 'web-1', instance);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('not claimed by this process');
      expect((await targets(run.commandId, instance)).status).toBe(403);
    }
    // Another socket of the same agent cannot take the claim over either.
    const second = await connect(t, ops.token);
    try {
      const ack = await second.emit<{ ok: boolean; run: boolean }>('command:claim', {
        commandId: run.commandId,
        instance: 'instance-b',
      });
      expect(ack).toMatchObject({ ok: true, run: false });
    } finally {
      second.close();
    }
    await credential(run.commandId, 'web-1').expect(200);
    const refused = (await t.http().get('/api/audit?action=node.key_refused').set(auth()).expect(200)).body.items as {
      details: { commandId: number; reason: string };
    }[];
    expect(
      refused.filter((e) => e.details.commandId === run.commandId && /not claimed/.test(e.details.reason)),
    ).toHaveLength(2);
    await finish(run);
  });

  it('checks probe arguments itself: before an approval is asked for, when one is edited, and before a key leaves', async () => {
    // Not confirmed read-only: it would need an approval, and nobody is asked to approve what cannot run.
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, 'ops-probe: service_status web-1 --all;id');
    expect(reply.text).toContain('is not a systemd unit name');
    await new Promise((r) => setTimeout(r, 200));
    expect(admin.all<ApprovalRequestedEvent>('approval:requested', (r) => r.conversationId === thread)).toHaveLength(0);

    // Confirmed read-only: still refused before anything is sent to the agent.
    await confirmReadOnly(t, ops.id, 'service_status');
    const sent = ops.runs.length;
    const again = await ask(admin, butler, await newThread(t, t.adminToken), 'ops-probe: uptime web-1 extra');
    expect(again.text).toContain('takes no other argument');
    expect(ops.runs.length).toBe(sent);

    // An approver's edit is checked the same way.
    const editThread = await newThread(t, t.adminToken);
    await ask(admin, butler, editThread, 'ops-probe: run web-1 echo hi');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (r) => r.conversationId === editThread,
    );
    const edited = await t
      .http()
      .post(`/api/approvals/${requested.id}/decision`)
      .set(auth())
      .send({ approved: true, command: 'service_status web-1 $(id)' });
    expect(edited.status).toBe(400);
    expect(edited.body.details[0]).toMatchObject({ field: 'command' });
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: false }).expect(200);

    // A command that reached the agent anyway (made past the Butler) gets no key.
    for (const text of ['service_status web-1 --all;id', 'uptime web-1 extra']) {
      const before = claimed.length;
      const id = await direct({ id: ops.id, name: 'ops-probe' }, text);
      await until(() => claimed.length > before, 8000, `the claim of "${text}"`);
      const res = await credential(id, 'web-1');
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/not a systemd unit name|takes no other argument/);
      await ops.probe.emit('command:result', { commandId: id, ok: false, error: 'refused' });
    }
  });

  it('refuses a key for a QUEUED command and for a run nobody approved', async () => {
    const late = await registerAgent(t, 'ops-late');
    const queued = await direct({ id: late.id, name: 'ops-late' }, 'uptime web-1');
    const res = await t
      .http()
      .post('/api/ops/agent/credentials')
      .set({ ...auth(late.token), 'x-agent-instance': INSTANCE })
      .send({ commandId: queued, node: 'web-1' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('QUEUED, not RUNNING');

    // While its approval waits there is no command at all; one without an approval is refused.
    const before = claimed.length;
    const unapproved = await direct({ id: ops.id, name: 'ops-probe' }, 'run web-1 id');
    await until(() => claimed.length > before, 8000, 'the unapproved run');
    const refused = await credential(unapproved, 'web-1');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('was not approved');
    await ops.probe.emit('command:result', { commandId: unapproved, ok: false, error: 'refused' });
  });

  it("an admin who approves a member's run sees its output live, as the member does", async () => {
    const mia = await connect(t, member.token);
    try {
      const thread = await newThread(t, member.token);
      const before = claimed.length;
      void ask(mia, butler, thread, 'ops-probe: run web-1 echo live', 30_000).catch(() => undefined);
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (r) => r.conversationId === thread,
      );
      await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
      await until(() => claimed.length > before, 8000, 'the approved run');
      const run = claimed[claimed.length - 1]!;
      await ops.probe.emit('command:progress', { commandId: run.commandId, text: '[web-1] live' });
      for (const watcher of [admin, mia])
        await watcher.waitFor<{ commandId: number; text: string }>(
          'command:progress',
          (p) => p.commandId === run.commandId && p.text === '[web-1] live',
        );
      await finish(run);
    } finally {
      mia.close();
    }
  });

  it('a MEMBER cannot read, change or delete one node; every node change is audited', async () => {
    const m = auth(member.token);
    const one = `/api/ops/nodes/${nodes['a_b']!.id}`;
    await t.http().get(one).set(m).expect(403);
    await t.http().patch(one).set(m).send({ description: 'mine' }).expect(403);
    await t.http().delete(one).set(m).expect(403);
    expect((await t.http().get(one).set(auth()).expect(200)).body.description).toBeNull();

    const created = (
      await t
        .http()
        .post('/api/ops/nodes')
        .set(auth())
        .send({ name: 'tmp-1', host: '127.0.0.1', username: 'ops', keyId: nodes['a_b']!.keyId })
        .expect(201)
    ).body as OpsNodeDto;
    await t.http().patch(`/api/ops/nodes/${created.id}`).set(auth()).send({ port: 2222 }).expect(200);
    await t.http().delete(`/api/ops/nodes/${created.id}`).set(auth()).expect(204);
    const entries = (
      (await t.http().get('/api/audit?targetType=node').set(auth()).expect(200)).body.items as {
        action: string;
        actorName: string;
        targetId: number;
        details: Record<string, unknown>;
      }[]
    ).filter((e) => e.targetId === created.id);
    const byAction = new Map(entries.map((e) => [e.action, e]));
    expect([...byAction.keys()].sort()).toEqual(['node.created', 'node.deleted', 'node.updated']);
    expect(byAction.get('node.created')).toMatchObject({
      actorName: 'admin',
      details: { host: '127.0.0.1', port: 22 },
    });
    expect(byAction.get('node.updated')!.details).toMatchObject({ changed: ['port'], port: 2222 });
  });
});
