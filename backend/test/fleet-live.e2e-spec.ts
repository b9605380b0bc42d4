import type { AgentDto, ChatChunkEvent, ChatMessageDto } from '@echocenter/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FleetService } from '../src/fleet/fleet.service';
import { findPythonAgent } from '../src/fleet/python-agent';
import { ask, butlerId, connect, newThread, until, type Probe } from './fakes/butler-kit';
import { startTestApp, type TestApp } from './support/test-app';

const LAUNCHER = join(__dirname, '..', '..', 'agents', 'dist', 'fleet', 'launcher.js');
const suite = existsSync(LAUNCHER) ? describe : describe.skip;
if (!existsSync(LAUNCHER)) console.log(`fleet integration skipped: ${LAUNCHER} is missing (npm run build:agents)`);

/**
 * The five TypeScript demo agents, and the Python System-Monitor when this machine can run it (the hub
 * asks the same findPythonAgent, with the same allow-listed environment); the Ops-Runner waits for nodes.
 */
function expectedFleet(): string[] {
  const names = ['Code-Reviewer-AI', 'Echo-Bot', 'Security-Audit-Bot', 'Storage-Custodian', 'Weather-Sentinel'];
  if (!existsSync(LAUNCHER)) return names;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const launcher = require(LAUNCHER) as {
    agentEnvironment(name: string, env: NodeJS.ProcessEnv): Record<string, string>;
  };
  const python = findPythonAgent(join(__dirname, '..', '..'), launcher.agentEnvironment('system-monitor', process.env));
  if ('reason' in python) console.log(`fleet: System-Monitor (Python) left out: ${python.reason}`);
  return 'reason' in python ? names : [...names, 'System-Monitor'].sort();
}

/** `npm start` in miniature: the real app, the demo fleet as child processes, an operator on a socket. */
suite('the demo fleet on a running hub', () => {
  let t: TestApp;
  let admin: Probe;
  const fleet = expectedFleet();
  beforeAll(async () => {
    t = await startTestApp({ FLEET: 'on' });
    await t.app.get(FleetService).start(t.url, LAUNCHER);
    admin = await connect(t, t.adminToken);
  }, 60000);
  afterAll(async () => {
    admin?.close();
    await t.close();
  });

  const agents = async () =>
    (await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).body as AgentDto[];

  const online = async () =>
    (await agents())
      .filter((a) => a.online)
      .map((a) => a.name)
      .sort();

  it('brings every demo agent online with its command card, and logs flow', async () => {
    await until(async () => (await online()).length >= fleet.length, 30000, `${fleet.length} fleet agents online`);
    expect(await online()).toEqual(fleet);
    const list = await agents();
    const custodian = list.find((a) => a.name === 'Storage-Custodian')!;
    expect(custodian.commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(['get_status', 'list_files', 'get_file', 'find']),
    );
    // The hub launched it from its own catalog, so it confirmed the claim itself.
    expect(custodian.commands.find((c) => c.name === 'get_status')).toMatchObject({
      readOnly: true,
      policy: 'READ_ONLY',
    });
    expect(custodian.commands.find((c) => c.name === 'cleanup_tmp')).toMatchObject({
      readOnly: false,
      policy: 'NEEDS_APPROVAL',
    });
    await until(
      async () => {
        const logs = await t
          .http()
          .get('/api/logs')
          .query({ agentId: custodian.id })
          .set('authorization', `Bearer ${t.adminToken}`);
        return logs.body.items.length > 0;
      },
      15000,
      'a log from Storage-Custodian',
    );
  });

  it('answers an operator who asks Storage-Custodian get_status through the Butler, streamed', async () => {
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken, 'fleet check');
    const reply: ChatMessageDto = await ask(admin, butler, thread, 'ask Storage-Custodian to get_status', 20000);
    const chunks = admin.all<ChatChunkEvent>('chat:chunk', (c) => c.streamId === reply.streamId);
    expect(chunks.length).toBeGreaterThan(0);
    const streamed = chunks.map((c) => c.text).join('');
    // The agent's progress streams live into the thread, then the answer; the stored text is the answer.
    expect(streamed).toContain('[Storage-Custodian] Scanning storage');
    expect(streamed.endsWith(reply.text)).toBe(true);
    expect(reply.text).toContain('Storage-Custodian');
    expect(reply.text).toMatch(/files?/i);
    const history = await t
      .http()
      .get(`/api/chat/${butler}/messages`)
      .query({ conversationId: thread })
      .set('authorization', `Bearer ${t.adminToken}`);
    expect(history.body.items.map((m: ChatMessageDto) => m.id)).toContain(reply.id);
  });

  it('lets an operator chat with each demo agent: help, a read-only command, refusals (issue 20)', async () => {
    await until(async () => (await online()).length >= fleet.length, 30000, `${fleet.length} fleet agents online`);
    const chat = async (agentId: number, text: string): Promise<string> => {
      const ack = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', { targetId: agentId, text });
      expect(ack.ok).toBe(true);
      const reply = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === agentId && m.id > ack.message.id,
        10000,
      );
      return reply.text;
    };
    const answered: string[] = [];
    for (const agent of (await agents()).filter((a) => fleet.includes(a.name))) {
      const help = await chat(agent.id, 'help');
      expect(agent.commands.length).toBeGreaterThan(0);
      for (const command of agent.commands) expect(help).toContain(`- ${command.name}`);
      answered.push(agent.name);
    }
    expect(answered.sort()).toEqual(fleet);
    const custodian = (await agents()).find((a) => a.name === 'Storage-Custodian')!;
    expect(JSON.parse(await chat(custodian.id, 'get_status'))).toMatchObject({
      files: expect.any(Number),
      bytes: expect.any(Number),
    });
    expect(await chat(custodian.id, 'get_file ../../etc/passwd')).toMatch(
      /^Sorry, that failed: .*outside the storage folder/,
    );
    expect(await chat(custodian.id, 'cleanup_tmp')).toContain('approved request');
  }, 60000);

  it('the Butler, with no model, answers "ask Weather-Sentinel: is it going to rain?" with the real agent\'s words (issue 20)', async () => {
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken, 'rain?');
    const reply = await ask(admin, butler, thread, 'ask Weather-Sentinel: is it going to rain?', 30000);
    // The offline Butler quotes the answer; the words are Weather-Sentinel's own, from its forecast.
    expect(reply.text).toContain('Weather-Sentinel');
    expect(reply.text).toMatch(/(Yes, rain.* likely at Hive Station: from \d\d:\d\d|No rain expected at Hive Station)/);
    expect(reply.text).not.toContain("I don't understand");
  }, 40000);

  it('starts the Ops-Runner once the inventory gets its first node; its probes wait for an admin', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    expect((await agents()).find((a) => a.name === 'Ops-Runner')).toBeUndefined();
    const key = await t.http().post('/api/ops/keys').set(auth).send({ name: 'fleet-key', generate: true }).expect(201);
    await t
      .http()
      .post('/api/ops/nodes')
      .set(auth)
      .send({ name: 'box-1', host: '127.0.0.1', port: 1, username: 'ops', keyId: key.body.id })
      .expect(201);
    await until(
      async () => (await agents()).some((a) => a.name === 'Ops-Runner' && a.online && a.commands.length > 0),
      30000,
      'Ops-Runner online',
    );
    const runner = (await agents()).find((a) => a.name === 'Ops-Runner')!;
    expect(runner.commands.map((c) => [c.name, c.policy])).toEqual([
      ['run', 'NEEDS_APPROVAL'],
      ['uptime', 'NEEDS_APPROVAL'],
      ['disk_usage', 'NEEDS_APPROVAL'],
      ['memory', 'NEEDS_APPROVAL'],
      ['service_status', 'NEEDS_APPROVAL'],
    ]);
  });
});
