import type { ChatMessageDto, NodeTestResult, OpsNodeDto } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { connect as connectAgent, startProgram, type Agent } from '../../agents/sdk';
import { createOpsRunner } from '../../agents/ops-runner/agent';
import { ask, butlerId, connect, newThread, type Probe } from './fakes/butler-kit';
import { passphraseKey, sshdMissing, startSshd, type TestSshd } from './support/sshd';
import { confirmReadOnly, registerAgent, startTestApp, type TestApp } from './support/test-app';

const missing = sshdMissing();
if (missing) console.log(missing);
const suite = missing ? describe.skip : describe;

/**
 * A passphrase-protected key from the vault used for real SSH logins (the hub's test and the Ops-Runner's
 * run), and the promise that key material never reaches a log line or an audit row: the app's own log
 * output is captured while a key is added (good and bad), released and refused.
 */
suite('ops: a passphrase-protected key, and key material never logged', () => {
  const PASSPHRASE = 'vault-pass-7f3c91e2';
  const lines: string[] = [];
  /** The bodies of refused requests: their messages must not echo what was sent. */
  const errors: string[] = [];
  let t: TestApp;
  let server: TestSshd;
  let admin: Probe;
  let agent: Agent;
  let runner: { id: number; token: string };
  let node: OpsNodeDto;
  const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    server = await startSshd({ userKey: passphraseKey(PASSPHRASE) });
    t = await startTestApp(
      { OPS_AGENTS: 'ops-runner', LOG_LEVEL: 'debug' },
      { logDestination: { write: (line: string) => void lines.push(line) } },
    );
    admin = await connect(t, t.adminToken);
    runner = await registerAgent(t, 'ops-runner');
    agent = connectAgent({ url: t.url, token: runner.token, name: 'ops-runner' });
    await startProgram(agent, createOpsRunner({ url: t.url, token: runner.token }));
    await agent.ready();
  }, 60_000);

  afterAll(async () => {
    void agent?.close();
    admin?.close();
    await t?.close();
    await server?.stop();
  });

  it('adds it (refusing a missing or wrong passphrase), logs in with it, and runs a probe through the Ops-Runner', async () => {
    const add = (body: Record<string, unknown>) => t.http().post('/api/ops/keys').set(auth()).send(body);
    const { privateKey } = server.userKey;
    const garbled = privateKey.replace(/\n(.{20})/, '\n' + 'A'.repeat(20));
    for (const bad of [
      { name: 'no-pass', privateKey },
      { name: 'wrong-pass', privateKey, passphrase: 'not-it' },
      { name: 'garbled', privateKey: garbled, passphrase: PASSPHRASE },
    ]) {
      const res = await add(bad);
      expect(res.status).toBe(400);
      errors.push(JSON.stringify(res.body));
    }
    const key = await add({ name: 'locked', privateKey, passphrase: PASSPHRASE }).expect(201);
    expect(key.body.fingerprint).toBe(server.userKey.fingerprint);

    node = (
      await t
        .http()
        .post('/api/ops/nodes')
        .set(auth())
        .send({ name: 'vault-1', host: '127.0.0.1', port: server.port, username: server.username, keyId: key.body.id })
        .expect(201)
    ).body;
    // The hub's own login with the key, opened with its passphrase.
    const tested = (await t.http().post(`/api/ops/nodes/${node.id}/test`).set(auth()).expect(200))
      .body as NodeTestResult;
    expect(tested).toMatchObject({ ok: true, errorCode: null, hostKeyFingerprint: server.hostKeyFingerprint });
    await t
      .http()
      .post(`/api/ops/nodes/${node.id}/host-key`)
      .set(auth())
      .send({ fingerprint: server.hostKeyFingerprint })
      .expect(200);
    const audited = (
      (await t.http().get('/api/audit?targetType=node').set(auth()).expect(200)).body.items as {
        action: string;
        targetId: number;
        details: Record<string, unknown>;
      }[]
    ).filter((e) => e.targetId === node.id);
    expect(audited.find((e) => e.action === 'node.tested')?.details).toMatchObject({
      ok: true,
      hostKeyFingerprint: server.hostKeyFingerprint,
    });
    expect(audited.find((e) => e.action === 'node.host_key_confirmed')?.details).toMatchObject({
      fingerprint: server.hostKeyFingerprint,
      previous: null,
    });

    // The agent's login: the hub releases the key with its passphrase, the runner opens it.
    await confirmReadOnly(t, runner.id, 'uptime');
    const butler = await butlerId(t, t.adminToken);
    const reply: ChatMessageDto = await ask(
      admin,
      butler,
      await newThread(t, t.adminToken),
      'ops-runner: uptime vault-1',
      15_000,
    );
    expect(reply.text).toMatch(/── vault-1 · exit 0 · \d+ ms\n(?:(?!── ).*\n)*?.*load average/);

    // A second fetch for that (finished) command is refused and audited.
    const released = (await t.http().get('/api/audit?action=node.key_released').set(auth()).expect(200)).body.items as {
      details: { commandId: number };
    }[];
    const refused = await t
      .http()
      .post('/api/ops/agent/credentials')
      .set({ ...auth(runner.token), 'x-agent-instance': agent.instance })
      .send({ commandId: released[0]!.details.commandId, node: 'vault-1' });
    expect(refused.status).toBe(409);
    errors.push(JSON.stringify(refused.body));
  });

  it('no log line, audit entry or error message holds the private key or its passphrase', async () => {
    // A piece from inside the key's base64 body (one line of it, as a JSON log line would carry it).
    const body = server.userKey.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    const secrets = [PASSPHRASE, body[1]!.slice(10, 50), body[body.length - 1]!.slice(0, 30)];
    const logged = lines.join('');
    // The capture works: the key requests, the refusal's warning and the audit trail are all there.
    expect(logged).toContain('/api/ops/keys');
    expect(logged).toContain('refused a node key to ops-runner');
    const audit = JSON.stringify(
      (await t.http().get('/api/audit?limit=200').set(auth()).expect(200)).body.items as unknown[],
    );
    expect(audit).toContain('node.key_released');
    expect(audit).toContain('node.key_refused');
    const rows = JSON.stringify(await t.app.get(DataSource).query('SELECT * FROM audit_log'));
    for (const secret of secrets) {
      expect(logged).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(rows).not.toContain(secret);
      expect(errors.join('')).not.toContain(secret);
    }
  });
});
