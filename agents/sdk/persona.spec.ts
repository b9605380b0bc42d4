import type { ActorRef, AgentCard } from '@echocenter/contracts';
import { startFakeOpenAi, type FakeOpenAi } from '../../backend/test/fakes/fake-openai';
import { AGENT, closeAll, connectAgent, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { personaModelFromEnv, personaPrompt } from './persona';

const MEMBER: ActorRef = { id: 2, name: 'member', kind: 'MEMBER' };

const CARD: AgentCard = {
  description: 'Keeps a folder tidy.',
  commands: [
    { name: 'status', description: 'Counts files.', readOnly: true },
    { name: 'lookup', args: '<name>', description: 'Finds a file.', readOnly: true },
    { name: 'wipe', args: '<folder>', description: 'Deletes a folder.', readOnly: false },
  ],
};

/** An agent answering free text through the real openai SDK, against the hub's fake OpenAI server. */
describe('Persona chat (a model through the openai SDK)', () => {
  let hub: TestHub;
  let llm: FakeOpenAi;

  beforeEach(async () => {
    hub = await startHub();
    llm = await startFakeOpenAi({ record: true });
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
    await llm.close();
  });

  function agentWithModel(persona = 'A careful librarian who counts files.') {
    const wiped: string[] = [];
    const agent = connectAgent(hub, {
      model: { baseURL: llm.url, model: 'fake-butler', apiKey: 'k', timeoutMs: 5_000 },
      persona,
    })
      .onCommand('status', () => ({ files: 3, bytes: 1200 }))
      .onCommand('lookup', (args) => `found ${args}`)
      .onCommand('wipe', (args) => {
        wiped.push(args);
        return 'wiped';
      })
      .hello(CARD);
    return { agent, wiped };
  }

  async function ask(text: string): Promise<string> {
    const before = hub.messages.filter((m) => m.senderId === AGENT.id).length;
    hub.sendChat(AGENT.id, text, MEMBER);
    const replies = await hub.waitFor(
      () => {
        const all = hub.messages.filter((m) => m.senderId === AGENT.id);
        return all.length > before ? all : undefined;
      },
      5_000,
      'reply',
    );
    return replies[replies.length - 1]!.text;
  }

  it('a tool call runs the read-only command and the model answers with its result, streamed', async () => {
    const { agent } = agentWithModel();
    await agent.ready();
    const reply = await ask('how many files do you keep? [[tool:status {}]]');
    expect(reply).toContain('Tool results:');
    expect(reply).toMatch(/files.{1,8}3/);
    expect(hub.chunks.length).toBeGreaterThan(0);

    const first = llm.requests[0]!;
    expect(first.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('About you: A careful librarian who counts files.'),
    });
    expect(first.messages[0]!.content).toContain('never run them from a chat: wipe <folder>');
    // Only read-only commands are tools: `wipe` never is.
    expect((first.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['status', 'lookup']);
    // The command's output reaches the model as a tool result, not as instructions.
    expect(llm.requests[1]!.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('"ok":true'),
    });
  });

  it('refuses a side-effecting command even when the model calls it: it never runs', async () => {
    const { agent, wiped } = agentWithModel();
    await agent.ready();
    const reply = await ask('please clean up [[tool:wipe {"args":"/data"}]]');
    expect(wiped).toEqual([]);
    expect(reply).toContain('changes things, so I only run it as an approved request');
  });

  it('follows the hub ruling: a command the hub does not rule read-only is no tool', async () => {
    hub.policies.set('status', 'READ_ONLY');
    hub.policies.set('lookup', 'NEEDS_APPROVAL');
    const { agent } = agentWithModel();
    await agent.ready();
    // The ruling comes with the hello ack: ask until it has arrived.
    const toolsOffered = async () => {
      await ask('hello there');
      return (llm.requests.at(-1)!.tools as { function: { name: string } }[]).map((t) => t.function.name);
    };
    let tools = await toolsOffered();
    for (let i = 0; i < 20 && tools.length !== 1; i++) tools = await toolsOffered();
    expect(tools).toEqual(['status']);
  });

  it('a command line is answered without the model (run, or refused), and help still lists the commands', async () => {
    const { agent, wiped } = agentWithModel();
    await agent.ready();
    expect(await ask('lookup notes.txt')).toBe('found notes.txt');
    expect(await ask('wipe /data')).toContain('"wipe" changes things');
    expect(await ask('help')).toContain('- wipe <folder> — Deletes a folder.');
    expect(wiped).toEqual([]);
    expect(llm.requests).toHaveLength(0);
  });

  it("free text is the model's words; when the model is down, the deterministic answer with a note", async () => {
    const { agent } = agentWithModel();
    await agent.ready();
    expect(await ask('good morning')).toBe('You said: good morning');
    llm.options.unreachable = true;
    const reply = await ask('good evening');
    expect(reply).toMatch(/^\(My model is unavailable: .+\)\nI don't understand that\. Try "help"/);
  });

  it('reads AGENT_MODEL_* from the environment; no model without a base URL and a model name', () => {
    expect(
      personaModelFromEnv({ AGENT_MODEL_BASE_URL: 'http://m/v1', AGENT_MODEL: 'tiny', AGENT_MODEL_API_KEY: 'sk' }),
    ).toEqual({ baseURL: 'http://m/v1', model: 'tiny', apiKey: 'sk' });
    expect(personaModelFromEnv({ AGENT_MODEL_BASE_URL: 'http://m/v1' })).toBeUndefined();
    expect(personaPrompt('X', undefined, [])).not.toContain('About you');
  });
});
