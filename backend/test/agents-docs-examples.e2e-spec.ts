import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AgentDto, ChatMessageDto } from '@echocenter/contracts';
import { DEFAULT_MODEL_TIMEOUT_MS, helpText, HINT_TEXT, refusalText, stillConnectingText } from '../../agents/sdk';
import { loadConfig } from '../src/config/config';
import { ask, butlerId, connect, newThread, until, type Probe } from './fakes/butler-kit';
import { confirmReadOnly, registerAgent, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const DOC = readFileSync(join(ROOT, 'docs', 'agents.md'), 'utf8');

/** The first ```lang block after `heading` (and before the next heading of that level). */
function codeBlock(heading: string, lang: string): string {
  const start = DOC.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`docs/agents.md: no "${heading}"`);
  const level = /^#+/.exec(heading)![0];
  const next = DOC.indexOf(`\n${level} `, start + heading.length);
  const section = DOC.slice(start, next < 0 ? undefined : next);
  const code = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)?.[1];
  if (!code) throw new Error(`docs/agents.md, "${heading}": no ${lang} block`);
  return code;
}

/** Starts a docs example as its own process, as a reader would; its output is kept for failure messages. */
function runExample(command: string, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function chatWith(admin: Probe, agentId: number, text: string): Promise<string> {
  const sent = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', { targetId: agentId, text });
  expect(sent.ok).toBe(true);
  const reply = await admin.waitFor<ChatMessageDto>(
    'chat:message',
    (m) => m.senderId === agentId && m.id > sent.message.id,
    10_000,
  );
  return reply.text;
}

describe('docs/agents.md: "An agent in 20 lines (TypeScript)", run as written', () => {
  let t: TestApp;
  let admin: Probe;
  let dir: string;
  let example: ReturnType<typeof runExample> | undefined;
  let agentId: number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    const agent = await registerAgent(t, 'Greeter');
    agentId = agent.id;
    dir = mkdtempSync(join(tmpdir(), 'greeter-doc-'));
    const code = codeBlock('## An agent in 20 lines (TypeScript)', 'ts');
    expect(code).toContain("from './sdk'");
    writeFileSync(
      join(dir, 'greeter.ts'),
      code.replace("from './sdk'", `from ${JSON.stringify(join(ROOT, 'agents', 'sdk'))}`),
    );
    example = runExample(TSX, [join(dir, 'greeter.ts')], { ECHO_URL: t.url, ECHO_TOKEN: agent.token });
    const online = async () =>
      ((await t.http().get(`/api/agents/${agentId}`).set('authorization', `Bearer ${t.adminToken}`)).body as AgentDto)
        .commands?.length === 2;
    await until(online, 30_000, `the example agent online with its card (output: ${example.output()})`);
  });
  afterAll(async () => {
    example?.child.kill('SIGTERM');
    admin?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers help with its card as the hub rules it, and anything else with its own chat handler', async () => {
    const help = await chatWith(admin, agentId, 'help');
    expect(help).toContain('- greet <name> — Says hello [needs approval]');
    expect(help).toContain('- forget — Clears the guest book [needs approval]');
    expect(await chatWith(admin, agentId, 'hi there')).toBe('You said: hi there');
  });

  it('greets through the Butler once an admin confirmed the claim; forget waits for an approval', async () => {
    await confirmReadOnly(t, agentId, 'greet');
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken);
    expect((await ask(admin, butler, thread, 'ask Greeter to greet Ann', 15_000)).text).toContain('Hello, Ann!');
    const forget = await ask(admin, butler, thread, 'ask Greeter to forget', 15_000);
    expect(forget.text).toContain('approval');
    expect(forget.text).not.toContain('cleared');
  });

  it('answers the Butler\'s question in words (its chat handler gets "BUTLER" messages too)', async () => {
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, 'ask Greeter: are you there?', 15_000);
    expect(reply.text).toBe('Greeter answered:\n> You said: are you there?');
  });
});

/** Both SDKs' own strings (Python: echocenter_agent.chat_default, run by python3 without python-socketio). */
function pythonChatTexts(): Record<string, string> | undefined {
  const script = [
    'import json',
    'from echocenter_agent.chat_default import HINT, help_text, refusal_text, still_connecting_text',
    'from echocenter_agent.persona import DEFAULT_MODEL_TIMEOUT_MS',
    'print(json.dumps({"hint": HINT, "refusal": refusal_text("Storage-Custodian", "cleanup_tmp"),',
    '  "connecting": still_connecting_text("get_status"), "modelTimeoutMs": DEFAULT_MODEL_TIMEOUT_MS,',
    '  "help": help_text("Storage-Custodian", {"commands": [{"name": "get_file", "args": "<name>",',
    '    "description": "A text file\'s content…", "readOnly": True}]})}))',
  ].join('\n');
  const res = spawnSync(process.env.ECHO_PYTHON || 'python3', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(ROOT, 'agents', 'python') },
    timeout: 15_000,
  });
  if (res.status !== 0) {
    process.stdout.write(`agents docs: the Python SDK's texts not compared (no python3): ${res.stderr || res.error}\n`);
    return undefined;
  }
  return JSON.parse(res.stdout) as Record<string, string>;
}

describe('docs/agents.md: the "Default chat" table quotes what both SDKs say', () => {
  const section = DOC.slice(DOC.indexOf('## Default chat'), DOC.indexOf('## Persona'));
  // The answers the table quotes as code spans (the second column of each row).
  const quoted = section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| You type'))
    .flatMap((line) => [...(line.split(' | ')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  const help = helpText('Storage-Custodian', {
    commands: [{ name: 'get_file', args: '<name>', description: "A text file's content…", readOnly: true }],
  });
  const sdk = {
    hint: HINT_TEXT,
    refusal: refusalText('Storage-Custodian', 'cleanup_tmp'),
    connecting: stillConnectingText('get_status'),
  };

  it('quotes the refusal, "still connecting" and the hint exactly as the TypeScript SDK sends them', () => {
    expect(quoted).toEqual(expect.arrayContaining(Object.values(sdk)));
    const helpLine = quoted.find((q) => q.startsWith('- get_file'));
    expect(help.split('\n')).toContain(helpLine);
  });

  it('the Python package sends the same texts', () => {
    const py = pythonChatTexts();
    if (!py) return;
    expect({ hint: py.hint, refusal: py.refusal, connecting: py.connecting }).toEqual(sdk);
    expect(py.help).toBe(help);
  });

  it("an agent's model budget is shorter than the Butler's question deadline, by default and in the docs", () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });
    expect(DEFAULT_MODEL_TIMEOUT_MS).toBeLessThanOrEqual(config.agentQuestionTimeoutMs * 0.8);
    const py = pythonChatTexts();
    if (py) expect(py.modelTimeoutMs).toBe(DEFAULT_MODEL_TIMEOUT_MS);
    const table = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const defaultOf = (name: string) => Number(new RegExp('\\| `' + name + '` \\| `(\\d+)`').exec(table)?.[1]);
    expect(defaultOf('AGENT_MODEL_TIMEOUT_MS')).toBe(DEFAULT_MODEL_TIMEOUT_MS);
    expect(defaultOf('AGENT_QUESTION_TIMEOUT_MS')).toBe(config.agentQuestionTimeoutMs);
  });
});

/** A python3 that runs the raw python-socketio example (it asks for the websocket transport). */
function socketioPython(): string | undefined {
  for (const candidate of [process.env.ECHO_PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate && spawnSync(candidate, ['-c', 'import socketio, websocket'], { timeout: 15_000 }).status === 0)
      return candidate;
  }
  process.stdout.write(
    'agents docs: the raw python-socketio example skipped: no python3 with socketio and websocket-client\n',
  );
  return undefined;
}
const PYTHON = socketioPython();

(PYTHON ? describe : describe.skip)('docs/agents.md: the raw python-socketio example, run as written', () => {
  let t: TestApp;
  let admin: Probe;
  let dir: string;
  let example: ReturnType<typeof runExample> | undefined;
  let agentId: number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    const agent = await registerAgent(t, 'Py-Greeter');
    agentId = agent.id;
    dir = mkdtempSync(join(tmpdir(), 'raw-py-doc-'));
    writeFileSync(join(dir, 'greeter.py'), codeBlock('### Python with python-socketio', 'python'));
    example = runExample(PYTHON!, ['-u', join(dir, 'greeter.py')], { ECHO_URL: t.url, ECHO_TOKEN: agent.token });
    const online = async () =>
      ((await t.http().get(`/api/agents/${agentId}`).set('authorization', `Bearer ${t.adminToken}`)).body as AgentDto)
        .commands?.length === 1;
    await until(online, 30_000, `the example agent online with its card (output: ${example.output()})`);
  });
  afterAll(async () => {
    example?.child.kill('SIGTERM');
    admin?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers a human, and the Butler's question with replyTo; greets through the Butler once confirmed", async () => {
    expect(await chatWith(admin, agentId, 'hi there')).toBe('You said: hi there');
    const butler = await butlerId(t, t.adminToken);
    const thread = await newThread(t, t.adminToken);
    const answer = await ask(admin, butler, thread, 'ask Py-Greeter: are you there?', 15_000);
    expect(answer.text).toBe('Py-Greeter answered:\n> You said: are you there?');
    await confirmReadOnly(t, agentId, 'greet');
    expect((await ask(admin, butler, thread, 'ask Py-Greeter to greet Ada', 15_000)).text).toContain('Hello, Ada!');
  });
});
