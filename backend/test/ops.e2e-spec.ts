import type {
  AgentCommandDto,
  ApprovalDto,
  ApprovalRequestedEvent,
  ChatMessageDto,
  CommandProgressEvent,
  MonitorEventDto,
  NodeTestResult,
  OpsNodeDto,
  SshKeyDto,
} from '@echocenter/contracts';
import { connect as connectAgent, startProgram, type Agent } from '../../agents/sdk';
import { DataSource } from 'typeorm';
import { createOpsRunner } from '../../agents/ops-runner/agent';
import { ask, butlerId, connect, newThread, until, type Probe } from './fakes/butler-kit';
import { alive, sshdMissing, startSshd, throwawayKey, type TestSshd } from './support/sshd';
import { confirmReadOnly, createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

const missing = sshdMissing();
if (missing) console.log(missing);
const suite = missing ? describe.skip : describe;

/**
 * The Ops-Runner end to end on two real sshd servers (loopback, throwaway keys): inventory and vault,
 * host key pinning, Butler → approval → fan-out over SSH, cancel and deadline killing the remote process,
 * the output cap, and who may touch keys.
 */
suite('ops: nodes, keys and the Ops-Runner over real SSH', () => {
  let t: TestApp;
  let a: TestSshd;
  let b: TestSshd;
  let admin: Probe;
  let butler: number;
  let runner: { id: number; token: string };
  let agent: Agent;
  let member: { token: string };
  let keyId: number;
  const nodes: Record<string, OpsNodeDto> = {};
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });
  /** The runner process itself: its token and the instance id it claimed its commands with. */
  const asRunner = () => ({ ...auth(runner.token), 'x-agent-instance': agent.instance });

  beforeAll(async () => {
    const userKey = throwawayKey('ops-e2e');
    [a, b] = await Promise.all([startSshd({ userKey }), startSshd({ userKey })]);
    t = await startTestApp({ OPS_AGENTS: 'ops-runner,ops-runner-2', SWEEP_INTERVAL_MS: '200' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    member = await createUser(t, 'mia');
    runner = await registerAgent(t, 'ops-runner');
    agent = connectAgent({ url: t.url, token: runner.token, name: 'ops-runner' });
    await startProgram(
      agent,
      createOpsRunner({
        url: t.url,
        token: runner.token,
        outputMaxBytes: 4096,
        killGraceMs: 300,
        progressIntervalMs: 100,
      }),
    );
    await agent.ready();

    const key = await t
      .http()
      .post('/api/ops/keys')
      .set(auth())
      .send({ name: 'e2e', privateKey: userKey.privateKey })
      .expect(201);
    keyId = key.body.id;
    for (const [name, server] of [
      ['test-a', a],
      ['test-b', b],
    ] as const) {
      const res = await t
        .http()
        .post('/api/ops/nodes')
        .set(auth())
        .send({ name, host: '127.0.0.1', port: server.port, username: server.username, keyId, tags: ['test'] })
        .expect(201);
      nodes[name] = res.body;
    }
  }, 60_000);

  afterAll(async () => {
    void agent?.close();
    admin?.close();
    await t?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const test = async (node: string) =>
    (await t.http().post(`/api/ops/nodes/${nodes[node]!.id}/test`).set(auth()).expect(200)).body as NodeTestResult;

  it('tests a node with a real handshake, shows the host key, and pins it once an admin confirms it', async () => {
    for (const [name, server] of [
      ['test-a', a],
      ['test-b', b],
    ] as const) {
      const first = await test(name);
      expect(first).toMatchObject({
        ok: true,
        hostKeyFingerprint: server.hostKeyFingerprint,
        hostKeyPinned: false,
        errorCode: null,
      });
      expect(first.rttMs).toBeGreaterThanOrEqual(0);
      // A fingerprint the server does not show is refused: nobody pins what they did not see.
      const wrong = await t
        .http()
        .post(`/api/ops/nodes/${nodes[name]!.id}/host-key`)
        .set(auth())
        .send({ fingerprint: a === server ? b.hostKeyFingerprint : a.hostKeyFingerprint });
      expect(wrong.status).toBe(409);
      expect(wrong.body.code).toBe('HOST_KEY_MISMATCH');
      const pinned = await t
        .http()
        .post(`/api/ops/nodes/${nodes[name]!.id}/host-key`)
        .set(auth())
        .send({ fingerprint: first.hostKeyFingerprint })
        .expect(200);
      expect(pinned.body).toMatchObject({
        hostKeyFingerprint: server.hostKeyFingerprint,
        hostKeyConfirmedByName: 'admin',
      });
      expect(await test(name)).toMatchObject({ ok: true, hostKeyPinned: true });
    }
  });

  it('Butler → approval → run on tag:test over SSH on two nodes: output streams live, exit codes per node in the thread', async () => {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ops-runner: run tag:test echo hello && uname -s');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (r) => r.conversationId === thread,
    );
    expect(requested).toMatchObject({
      agentName: 'ops-runner',
      command: 'run tag:test echo hello && uname -s',
      policy: 'NEEDS_APPROVAL',
    });
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
    await admin.waitFor<ChatMessageDto>(
      'chat:message',
      (m) => m.conversationId === thread && m.senderId === butler && m.text.includes(`Approval #${requested.id}:`),
      15_000,
    );
    // The thread's approval card shows the output (the approval's result), once.
    const approval = (await t.http().get(`/api/approvals/${requested.id}`).set(auth()).expect(200)).body as ApprovalDto;
    // A node's own shell start-up may print to stderr first (a host's rc files): skip such lines, but only within
    // that node's section (lines not starting a new `── ` header).
    expect(approval.result).toMatch(/── test-a · exit 0 · \d+ ms\n(?:(?!── ).*\n)*?hello\nLinux/);
    expect(approval.result).toMatch(/── test-b · exit 0 · \d+ ms\n(?:(?!── ).*\n)*?hello\nLinux/);
    const cmd = (await t.http().get(`/api/commands/${approval.commandId}`).set(auth()).expect(200))
      .body as AgentCommandDto;
    expect(cmd.status).toBe('SUCCEEDED');
    const live = admin
      .all<CommandProgressEvent>('command:progress', (p) => p.commandId === cmd.id)
      .map((p) => p.text)
      .join('\n');
    expect(live).toContain('[test-a] hello');
    expect(live).toContain('[test-b] Linux');
    // The monitor shows the same stream, as it came.
    const monitor = admin.all<MonitorEventDto>('monitor:event', (e) => e.commandId === cmd.id).map((e) => e.text);
    expect(monitor[0]).toBe('run: run tag:test echo hello && uname -s');
    expect(monitor.filter((m) => m.startsWith('progress: ')).join('\n')).toContain('[test-a] hello');
    // Each key release is audited, naming the command.
    const audit = (await t.http().get('/api/audit?action=node.key_released').set(auth()).expect(200)).body.items as {
      targetName: string;
      details: { commandId: number };
    }[];
    expect(
      audit
        .filter((e) => e.details.commandId === cmd.id)
        .map((e) => e.targetName)
        .sort(),
    ).toEqual(['test-a', 'test-b']);
  });

  it('an approval covers the nodes it showed: a node tagged between approval and run is not touched and gets no key', async () => {
    const request = async (text: string) => {
      const thread = await newThread(t, t.adminToken);
      await ask(admin, butler, thread, `ops-runner: ${text}`);
      return {
        thread,
        approval: await admin.waitFor<ApprovalRequestedEvent>('approval:requested', (r) => r.conversationId === thread),
      };
    };
    const echo = await request('run tag:test echo on $SSH_CONNECTION');
    const sleep = await request('run tag:test sleep 60');
    // The approver sees which nodes the tag names now: that list is what the approval covers.
    expect(echo.approval.targets).toEqual(['test-a', 'test-b']);
    expect(
      ((await t.http().get(`/api/approvals/${sleep.approval.id}`).set(auth()).expect(200)).body as ApprovalDto).targets,
    ).toEqual(['test-a', 'test-b']);

    // A third node joins the tag, host key pinned: only the approval's scope can keep it out now.
    const c = await startSshd({ userKey: a.userKey });
    try {
      const added = (
        await t
          .http()
          .post('/api/ops/nodes')
          .set(auth())
          .send({ name: 'test-c', host: '127.0.0.1', port: c.port, username: c.username, keyId, tags: ['test'] })
          .expect(201)
      ).body as OpsNodeDto;
      await t
        .http()
        .post(`/api/ops/nodes/${added.id}/host-key`)
        .set(auth())
        .send({ fingerprint: c.hostKeyFingerprint })
        .expect(200);
      try {
        // An edit may change the shell text but not where it runs.
        const moved = await t
          .http()
          .post(`/api/approvals/${echo.approval.id}/decision`)
          .set(auth())
          .send({ approved: true, command: 'run test-c echo on $SSH_CONNECTION' });
        expect(moved.status).toBe(400);
        expect(moved.body.details[0].field).toBe('command');

        await t
          .http()
          .post(`/api/approvals/${echo.approval.id}/decision`)
          .set(auth())
          .send({ approved: true })
          .expect(200);
        await admin.waitFor<ChatMessageDto>(
          'chat:message',
          (m) =>
            m.conversationId === echo.thread &&
            m.senderId === butler &&
            m.text.includes(`Approval #${echo.approval.id}:`),
          15_000,
        );
        const ran = (await t.http().get(`/api/approvals/${echo.approval.id}`).set(auth()).expect(200))
          .body as ApprovalDto;
        const output = ran.result ?? '';
        // $SSH_CONNECTION ends with the server's port: each node says which sshd ran it.
        const ranOn = (port: number) => new RegExp(`^on \\S+ \\d+ \\S+ ${port}$`, 'm').test(output);
        expect(output).toMatch(/── test-a · exit 0/);
        expect([ranOn(a.port), ranOn(b.port), ranOn(c.port)]).toEqual([true, true, false]);
        expect(output).not.toContain('test-c');
        const released = (await t.http().get('/api/audit?action=node.key_released').set(auth()).expect(200)).body
          .items as { targetName: string; details: { commandId: number } }[];
        expect(
          released
            .filter((e) => e.details.commandId === ran.commandId)
            .map((e) => e.targetName)
            .sort(),
        ).toEqual(['test-a', 'test-b']);

        // While a command of an earlier approval runs, the hub lists and releases only the nodes it showed.
        await t
          .http()
          .post(`/api/approvals/${sleep.approval.id}/decision`)
          .set(auth())
          .send({ approved: true })
          .expect(200);
        let id: number | null = null;
        await until(
          async () =>
            (id = ((await t.http().get(`/api/approvals/${sleep.approval.id}`).set(auth())).body as ApprovalDto)
              .commandId) !== null,
          8000,
          'the sleep command',
        );
        await until(
          () => sleepsUnder(a).length > 0 && sleepsUnder(b).length > 0,
          8000,
          'sleep 60 on test-a and test-b',
        );
        const targets = (await t.http().get(`/api/ops/agent/commands/${id}/targets`).set(asRunner()).expect(200))
          .body as { name: string }[];
        expect(targets.map((n) => n.name)).toEqual(['test-a', 'test-b']);
        const refused = await t
          .http()
          .post('/api/ops/agent/credentials')
          .set(asRunner())
          .send({ commandId: id, node: 'test-c' });
        expect(refused.status).toBe(403);
        expect(refused.body.message).toContain('does not target');
        expect(c.descendants().filter((p) => p.cmd === 'sleep 60')).toHaveLength(0);
        const pids = [...sleepsUnder(a), ...sleepsUnder(b)];
        await t.http().post(`/api/commands/${id}/cancel`).set(auth()).send({ reason: 'enough' }).expect(200);
        await until(() => pids.every((pid) => !alive(pid)), 8000, 'the sleeps to be killed');
      } finally {
        await t.http().delete(`/api/ops/nodes/${added.id}`).set(auth()).expect(204);
      }
    } finally {
      await c.stop();
    }
  });

  /** Starts an approved `run` through the approvals API (as the Butler would) and returns its command id. */
  async function approvedRun(text: string): Promise<number> {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, `ops-runner: ${text}`);
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (r) => r.conversationId === thread,
    );
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
    let commandId: number | null = null;
    await until(
      async () =>
        (commandId = ((await t.http().get(`/api/approvals/${requested.id}`).set(auth())).body as ApprovalDto)
          .commandId) !== null,
      8000,
      'the approved command',
    );
    return commandId!;
  }

  const status = async (id: number) =>
    (await t.http().get(`/api/commands/${id}`).set(auth()).expect(200)).body as AgentCommandDto;
  const sleepsUnder = (server: TestSshd) =>
    server
      .descendants()
      .filter((p) => p.cmd === 'sleep 60')
      .map((p) => p.pid);

  it('Cancel kills the remote sleep 60 (gone on the server); the credential endpoint refuses a second fetch, another agent, a non-running command', async () => {
    const id = await approvedRun('run test-a sleep 60');
    await until(() => sleepsUnder(a).length > 0, 8000, 'sleep 60 running under test-a’s sshd');
    const pids = sleepsUnder(a);

    // While it runs: a second fetch of the same node's key is refused (the runner already took it).
    const again = await t
      .http()
      .post('/api/ops/agent/credentials')
      .set(asRunner())
      .send({ commandId: id, node: 'test-a' });
    expect(again.status).toBe(409);
    // A node the command does not target.
    expect(
      (await t.http().post('/api/ops/agent/credentials').set(asRunner()).send({ commandId: id, node: 'test-b' }))
        .status,
    ).toBe(403);
    // Another ops agent: the command is not its own.
    const other = await registerAgent(t, 'ops-runner-2');
    expect(
      (await t.http().post('/api/ops/agent/credentials').set(auth(other.token)).send({ commandId: id, node: 'test-a' }))
        .status,
    ).toBe(404);
    // An agent that is not an ops agent at all.
    const echo = await registerAgent(t, 'echo-bot');
    expect(
      (await t.http().post('/api/ops/agent/credentials').set(auth(echo.token)).send({ commandId: id, node: 'test-a' }))
        .status,
    ).toBe(403);
    // A human cannot read a key through it either.
    expect(
      (await t.http().post('/api/ops/agent/credentials').set(auth()).send({ commandId: id, node: 'test-a' })).status,
    ).toBe(403);

    await t.http().post(`/api/commands/${id}/cancel`).set(auth()).send({ reason: 'enough' }).expect(200);
    await until(() => pids.every((pid) => !alive(pid)), 8000, 'the remote sleep 60 to be killed');
    expect((await status(id)).status).toBe('CANCELLED');
    const late = await t
      .http()
      .post('/api/ops/agent/credentials')
      .set(auth(runner.token))
      .send({ commandId: id, node: 'test-a' });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('not RUNNING');
    const refusals = (await t.http().get('/api/audit?action=node.key_refused').set(auth()).expect(200)).body
      .items as unknown[];
    expect(refusals.length).toBeGreaterThanOrEqual(4);
  });

  it("the command's deadline kills the remote sleep 60", async () => {
    await t.http().patch('/api/settings').set(auth()).send({ agentCommandTimeoutMs: 5000 }).expect(200);
    try {
      const id = await approvedRun('run test-b sleep 60');
      await until(() => sleepsUnder(b).length > 0, 8000, 'sleep 60 running under test-b’s sshd');
      const pids = sleepsUnder(b);
      await until(async () => (await status(id)).status === 'TIMED_OUT', 8000, 'the deadline');
      await until(() => pids.every((pid) => !alive(pid)), 8000, 'the remote sleep 60 to be killed');
    } finally {
      await t.http().patch('/api/settings').set(auth()).send({ agentCommandTimeoutMs: null }).expect(200);
    }
  });

  it("a lost connection ends that node's part with a clear error (and the orphaned command is killed)", async () => {
    const id = await approvedRun('run test-a sleep 60');
    await until(() => sleepsUnder(a).length > 0, 8000, 'sleep 60 running under test-a’s sshd');
    const pids = sleepsUnder(a);
    // The session's sshd process dies: the TCP connection drops mid-command.
    // The sshd process of this very session: the nearest sshd above the sleep.
    const tree = new Map(a.descendants().map((p) => [p.pid, p]));
    let session = tree.get(pids[0]!);
    while (session && !session.cmd.startsWith('sshd:')) session = tree.get(session.ppid);
    if (!session) throw new Error('no sshd session above the sleep');
    process.kill(session.pid, 'SIGKILL');
    await until(async () => (await status(id)).status === 'FAILED', 8000, 'the run to fail');
    expect((await status(id)).error).toMatch(/── test-a · connection lost: /);
    await until(() => pids.every((pid) => !alive(pid)), 8000, 'the orphaned sleep 60 to be killed');
  });

  it('caps the output (OPS_OUTPUT_MAX): the tail is kept and the result says it was truncated', async () => {
    const id = await approvedRun('run test-a seq 1 20000');
    await until(async () => (await status(id)).status === 'SUCCEEDED', 10_000, 'seq to finish');
    const result = (await status(id)).result!;
    expect(result).toMatch(/── test-a · exit 0 · \d+ ms · output truncated: last part kept, \d+ bytes dropped/);
    expect(result.trimEnd().endsWith('\n20000')).toBe(true);
    expect(result).not.toContain('\n1\n2\n3\n');
    expect(result.length).toBeLessThan(4096 + 200);
  });

  it('refuses a changed host key with HOST_KEY_MISMATCH until an admin re-confirms it', async () => {
    const before = b.hostKeyFingerprint;
    await b.replaceHostKey();
    const tested = await test('test-b');
    expect(tested).toMatchObject({
      ok: false,
      errorCode: 'HOST_KEY_MISMATCH',
      hostKeyFingerprint: b.hostKeyFingerprint,
      hostKeyPinned: false,
    });
    expect(tested.error).toContain(before);

    const id = await approvedRun('run test-b echo should-not-run');
    await until(async () => (await status(id)).status === 'FAILED', 10_000, 'the run to fail');
    expect((await status(id)).error).toContain('HOST_KEY_MISMATCH');
    expect((await status(id)).error).not.toContain('should-not-run\n');

    await t
      .http()
      .post(`/api/ops/nodes/${nodes['test-b']!.id}/host-key`)
      .set(auth())
      .send({ fingerprint: b.hostKeyFingerprint })
      .expect(200);
    expect(await test('test-b')).toMatchObject({ ok: true, hostKeyPinned: true });

    // Editing a description keeps the pin; moving the node (another port) drops it until confirmed again.
    const node = `/api/ops/nodes/${nodes['test-b']!.id}`;
    expect(
      (await t.http().patch(node).set(auth()).send({ description: 'second box' }).expect(200)).body.hostKeyFingerprint,
    ).toBe(b.hostKeyFingerprint);
    expect(
      (await t.http().patch(node).set(auth()).send({ port: a.port }).expect(200)).body.hostKeyFingerprint,
    ).toBeNull();
    expect(
      (await t.http().patch(node).set(auth()).send({ port: b.port }).expect(200)).body.hostKeyFingerprint,
    ).toBeNull();
    const bad = await t
      .http()
      .patch(node)
      .set(auth())
      .send({ host: 'evil;rm -rf /', tags: ['UPPER'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['host', 'tags']);
    await t.http().post(`${node}/host-key`).set(auth()).send({ fingerprint: b.hostKeyFingerprint }).expect(200);
  });

  it('runs a probe an admin confirmed read-only without approval; a bad unit name never reaches a node', async () => {
    await confirmReadOnly(t, runner.id, 'uptime');
    const reply = await ask(admin, butler, await newThread(t, t.adminToken), 'ops-runner: uptime tag:test', 15_000);
    expect(reply.text).toMatch(/── test-a · exit 0 · \d+ ms\n(?:(?!── ).*\n)*?.*load average/);
    expect(reply.text).toMatch(/── test-b · exit 0/);
    await confirmReadOnly(t, runner.id, 'service_status');
    const refused = await ask(
      admin,
      butler,
      await newThread(t, t.adminToken),
      'ops-runner: service_status test-a --all;id',
      15_000,
    );
    expect(refused.text).toContain('is not a systemd unit name');
    const released = (await t.http().get('/api/audit?action=node.key_released').set(auth()).expect(200)).body.items as {
      details: { command: string };
    }[];
    expect(released.filter((e) => e.details.command === 'service_status')).toHaveLength(0);
  });

  it('run is never read-only and its allow-rules cover only the exact text', async () => {
    const res = await t.http().put(`/api/agents/${runner.id}/policies/run`).set(auth()).send({ readOnly: true });
    expect(res.status).toBe(400);
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, 'ops-runner: run test-a echo rule');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (r) => r.conversationId === thread,
    );
    const glob = await t
      .http()
      .post(`/api/approvals/${requested.id}/decision`)
      .set(auth())
      .send({ approved: true, remember: 'always', rule: { pattern: 'run test-a echo *' } });
    expect(glob.status).toBe(400);
    expect(JSON.stringify(glob.body)).toContain('exact command text');
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: false }).expect(200);
  });

  it('keeps keys in the vault: the public half only, sealed at rest, a key in use cannot be deleted, generated pairs', async () => {
    const list = (await t.http().get('/api/ops/keys').set(auth()).expect(200)).body as SshKeyDto[];
    expect(list[0]).toMatchObject({ name: 'e2e', keyType: 'ssh-ed25519', usedBy: ['test-a', 'test-b'] });
    expect(JSON.stringify(list)).not.toMatch(/PRIVATE KEY/);
    const [row] = await t.app.get(DataSource).query('SELECT sealed_private_key FROM ssh_keys WHERE id = ?', [keyId]);
    expect(row.sealed_private_key).not.toMatch(/PRIVATE KEY/);
    expect(JSON.parse(row.sealed_private_key)).toMatchObject({ v: 1, iv: expect.any(String), tag: expect.any(String) });

    const inUse = await t.http().delete(`/api/ops/keys/${keyId}`).set(auth());
    expect(inUse.status).toBe(409);
    expect(inUse.body.message).toContain('test-a, test-b');

    const generated = await t
      .http()
      .post('/api/ops/keys')
      .set(auth())
      .send({ name: 'fresh', generate: true })
      .expect(201);
    expect(generated.body.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ fresh$/);
    expect(generated.body.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const bad = await t
      .http()
      .post('/api/ops/keys')
      .set(auth())
      .send({ name: 'bad', privateKey: 'x'.repeat(64) });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('privateKey');
    await t.http().delete(`/api/ops/keys/${generated.body.id}`).set(auth()).expect(204);
    const actions = (
      (await t.http().get('/api/audit?targetType=ssh_key').set(auth()).expect(200)).body.items as { action: string }[]
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['ssh_key.added', 'ssh_key.generated', 'ssh_key.deleted']));
  });

  it('a MEMBER cannot manage nodes or keys, nor read a key', async () => {
    const m = auth(member.token);
    await t.http().get('/api/ops/keys').set(m).expect(403);
    await t.http().post('/api/ops/keys').set(m).send({ name: 'mine', generate: true }).expect(403);
    await t.http().delete(`/api/ops/keys/${keyId}`).set(m).expect(403);
    await t.http().get('/api/ops/nodes').set(m).expect(403);
    await t
      .http()
      .post('/api/ops/nodes')
      .set(m)
      .send({ name: 'x', host: '127.0.0.1', username: 'root', keyId })
      .expect(403);
    await t.http().post(`/api/ops/nodes/${nodes['test-a']!.id}/test`).set(m).expect(403);
    await t
      .http()
      .post(`/api/ops/nodes/${nodes['test-a']!.id}/host-key`)
      .set(m)
      .send({ fingerprint: a.hostKeyFingerprint })
      .expect(403);
    await t.http().post('/api/ops/agent/credentials').set(m).send({ commandId: 1, node: 'test-a' }).expect(403);
  });
});
