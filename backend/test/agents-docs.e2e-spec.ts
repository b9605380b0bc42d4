import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AgentDto, ChatMessageDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { confirmReadOnly, registerAgent, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** The TypeScript example in docs/agents.md, "Persona", with its SDK import pointed at agents/sdk. */
function personaExample(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'agents.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Persona'), doc.indexOf('## Answering the Butler'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code?.includes("from './sdk'"))
    throw new Error('docs/agents.md, "Persona": no TypeScript example importing ./sdk');
  return code.replace("from './sdk'", `from ${JSON.stringify(join(ROOT, 'agents', 'sdk'))}`);
}

/**
 * docs/agents.md, "Persona" and "Answering the Butler", run as written: the example agent (real SDK, in its own
 * process) answers chat with help, a command line, a refusal and the model's words from a tool call; and the
 * Butler's "ask Weather-Sentinel: is it going to rain?" comes back with the agent's words.
 */
describe('docs/agents.md: the persona example, run as written', () => {
  let t: TestApp;
  let llm: FakeOpenAi;
  let admin: Probe;
  let child: ChildProcess | undefined;
  let dir: string;
  let out = '';
  let agentId: number;

  beforeAll(async () => {
    llm = await startFakeOpenAi({ record: true });
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    const agent = await registerAgent(t, 'Weather-Sentinel');
    agentId = agent.id;
    dir = mkdtempSync(join(tmpdir(), 'persona-doc-'));
    writeFileSync(join(dir, 'weather.ts'), personaExample());
    child = spawn(TSX, [join(dir, 'weather.ts')], {
      env: {
        ...process.env,
        ECHO_URL: t.url,
        ECHO_TOKEN: agent.token,
        AGENT_MODEL_BASE_URL: llm.url,
        AGENT_MODEL: 'fake-butler',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const online = async () =>
      ((await t.http().get(`/api/agents/${agentId}`).set('authorization', `Bearer ${t.adminToken}`)).body as AgentDto)
        .commands?.length === 2;
    await until(online, 30_000, `the example agent online with its card (output: ${out})`);
    await confirmReadOnly(t, agentId, 'get_forecast');
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    admin?.close();
    await t?.close();
    await llm?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function chat(text: string): Promise<string> {
    const sent = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', { targetId: agentId, text });
    expect(sent.ok).toBe(true);
    return (
      await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === agentId && m.id > sent.message.id,
        10_000,
      )
    ).text;
  }

  it('help lists both commands with the hub ruling', async () => {
    // The ruling reaches the agent with agent:card after the confirmation: ask until it shows.
    await until(
      async () => (await chat('help')).includes('- get_forecast — Rain and temperature for the next hours [read-only]'),
      10_000,
      'help with the ruling',
    );
    expect(await chat('help')).toContain('- recalibrate — Resets the sensors [needs approval]');
  });

  it('a command line runs without the model; a side-effecting one is refused', async () => {
    const before = llm.requests.length;
    expect(await chat('get_forecast')).toContain('light rain from 15:00');
    expect(await chat('recalibrate')).toContain(
      '"recalibrate" changes things, so I only run it as an approved request',
    );
    expect(llm.requests.length).toBe(before);
  });

  it('free text: the model calls the read-only command as a tool and answers with its output', async () => {
    const reply = await chat('is it going to rain? [[tool:get_forecast {}]]');
    expect(reply).toContain('light rain from 15:00');
    const offered = llm.requests.at(-2)!.tools as { function: { name: string } }[];
    expect(offered.map((tool) => tool.function.name)).toEqual(['get_forecast']);
    expect(String(llm.requests.at(-2)!.messages[0].content)).toContain('About you: A friendly weather station.');
  });

  it('the Butler: "ask Weather-Sentinel: is it going to rain?" is answered with the agent\'s words', async () => {
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(
      admin,
      butler,
      thread,
      'ask Weather-Sentinel: is it going to rain? [[tool:get_forecast {}]]',
      15_000,
    );
    expect(reply.text).toMatch(/^Weather-Sentinel answered:\n> /);
    expect(reply.text).toContain('light rain from 15:00');
  });
});
