import type { ActorRef, AgentCard } from '@echocenter/contracts';
import { AGENT, closeAll, connectAgent, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createDefaultChatHandler, helpText, MAX_CHAT_COMMAND_CHARS, stillConnectingText } from './chat-default';
import type { ChatContext } from './chat';
import { CommandDispatcher } from './commands';

const MEMBER: ActorRef = { id: 2, name: 'member', kind: 'MEMBER' };

const CARD: AgentCard = {
  description: 'Test agent.',
  commands: [
    { name: 'status', description: 'Counts things.', readOnly: true },
    { name: 'lookup', args: '<name>', description: 'Finds a thing.', readOnly: true },
    { name: 'wipe', args: '<folder>', description: 'Deletes a folder.', readOnly: false },
  ],
};

describe('Default chat handler', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  async function ask(text: string, from: ActorRef = MEMBER): Promise<string> {
    const before = hub.messages.filter((m) => m.senderId === AGENT.id).length;
    hub.sendChat(AGENT.id, text, from);
    const replies = await hub.waitFor(
      () => {
        const all = hub.messages.filter((m) => m.senderId === AGENT.id);
        return all.length > before ? all : undefined;
      },
      2_000,
      'reply',
    );
    return replies[replies.length - 1]!.text;
  }

  function agentWithCard() {
    const calls: string[] = [];
    const agent = connectAgent(hub)
      .onCommand('status', () => ({ files: 3 }))
      .onCommand('lookup', (args, ctx) => `found ${ctx.argv[0]} for ${ctx.from.kind}`)
      .onCommand('wipe', (args) => {
        calls.push(args);
        return 'wiped';
      })
      .hello(CARD);
    return { agent, calls };
  }

  it('answers help with every command, its arguments and its policy from the claim', async () => {
    const { agent } = agentWithCard();
    await agent.ready();
    const text = await ask('help');
    expect(text).toContain('test-agent — Test agent.');
    expect(text).toContain('- status — Counts things. [read-only (if an admin confirmed it)]');
    expect(text).toContain('- lookup <name> — Finds a thing. [read-only (if an admin confirmed it)]');
    expect(text).toContain('- wipe <folder> — Deletes a folder. [needs approval]');
    expect(text).toContain('ask the Butler: test-agent: <command>');
  });

  it('runs a read-only command typed in chat and answers with its result', async () => {
    const { agent } = agentWithCard();
    await agent.ready();
    expect(JSON.parse(await ask('status'))).toEqual({ files: 3 });
    expect(await ask('lookup "big file"')).toBe('found big file for MEMBER');
  });

  it('refuses a side-effecting command from a direct chat and does not run it', async () => {
    const { agent, calls } = agentWithCard();
    await agent.ready();
    const text = await ask('wipe /tmp');
    expect(text).toContain('approved request');
    expect(text).toContain('Ask the Butler: test-agent: wipe /tmp');
    // An admin's direct chat does not bypass approvals either.
    await ask('wipe /tmp', { id: 1, name: 'operator', kind: 'ADMIN' });
    expect(calls).toEqual([]);
  });

  it("follows the hub's ruling from the hello ack and later agent:card pushes, not its own claim", async () => {
    const eventually = async (check: () => Promise<boolean>, what: string) => {
      for (const end = Date.now() + 3_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
        if (await check()) return;
      throw new Error(`timed out waiting for ${what}`);
    };
    hub.policies.set('status', 'READ_ONLY');
    const { agent } = agentWithCard();
    await agent.ready();
    // `lookup` claims read-only, but the hub has not confirmed it: help says so and chat does not run it.
    await eventually(
      async () => (await ask('help')).includes('- lookup <name> — Finds a thing. [needs approval]'),
      'the ruling from the hello ack',
    );
    expect(await ask('help')).toContain('- status — Counts things. [read-only]');
    expect(await ask('lookup x')).toContain('approved request');
    expect(JSON.parse(await ask('status'))).toEqual({ files: 3 });
    // An admin confirms `lookup` and revokes `status`: the hub pushes the new ruling.
    hub.policies.set('lookup', 'READ_ONLY');
    hub.policies.set('status', 'NEEDS_APPROVAL');
    hub.rule(AGENT.id, CARD);
    await eventually(async () => (await ask('lookup thing')) === 'found thing for MEMBER', 'the pushed ruling');
    expect(await ask('status')).toContain('approved request');
  });

  it("waits for the hub's ruling before it runs a command from chat, then follows it (a message caught up at connect)", async () => {
    hub.policies.set('status', 'READ_ONLY');
    hub.holdHelloAcks = true;
    const lookup = jest.fn(() => 'found');
    const agent = connectAgent(hub, { ackTimeoutMs: 3_000 })
      .onCommand('status', () => 'ok')
      .onCommand('lookup', lookup)
      .hello(CARD);
    await agent.ready();
    const answered = ask('lookup x');
    await new Promise((r) => setTimeout(r, 300));
    // No answer while the ruling is on its way: the claim alone decides nothing.
    expect(hub.messages.filter((m) => m.senderId === AGENT.id)).toHaveLength(0);
    hub.releaseHelloAcks();
    // The hub did not confirm `lookup` (only `status`): refused, never run.
    expect(await answered).toContain('approved request');
    expect(lookup).not.toHaveBeenCalled();
    expect(await ask('status')).toBe('ok');
  });

  it('answers "still connecting" and runs nothing when the ruling does not come in time', async () => {
    hub.holdHelloAcks = true;
    const status = jest.fn(() => 'ok');
    const agent = connectAgent(hub, { ackTimeoutMs: 300 }).onCommand('status', status).hello(CARD);
    await agent.ready();
    expect(await ask('status')).toBe(stillConnectingText('status'));
    expect(await ask('help')).toContain('[read-only (if an admin confirmed it)]');
    expect(status).not.toHaveBeenCalled();
    hub.releaseHelloAcks();
  });

  it("answers free text through the program's read-only command (onFreeText), only while the hub rules it read-only", async () => {
    hub.policies.set('status', 'READ_ONLY');
    const { agent } = agentWithCard();
    agent.onFreeText((text) =>
      /how many/i.test(text)
        ? { command: 'status', words: (out) => `I count ${(JSON.parse(out) as { files: number }).files}.` }
        : undefined,
    );
    await agent.ready();
    expect(await ask('How many files?')).toBe('I count 3.');
    expect(await ask('how are you?')).toMatch(/I don't understand/);
    hub.policies.set('status', 'NEEDS_APPROVAL');
    hub.rule(AGENT.id, CARD);
    for (let end = Date.now() + 2_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
      if ((await ask('How many files?')).includes("I don't understand")) return;
    throw new Error('free text still ran a command the hub no longer rules read-only');
  });

  it('answers anything else, and over-long lines, with a hint to try help', async () => {
    const { agent } = agentWithCard();
    await agent.ready();
    expect(await ask('what is the weather?')).toMatch(/I don't understand.*help/);
    expect(await ask(`status ${'x'.repeat(MAX_CHAT_COMMAND_CHARS)}`)).toMatch(/I don't understand.*help/);
  });

  it('still answers help for an agent with its own chat handler, which gets everything else', async () => {
    const custom = jest.fn((text: string) => `custom: ${text}`);
    const agent = connectAgent(hub)
      .onCommand('status', () => 'ok')
      .onChat(custom)
      .hello(CARD);
    await agent.ready();
    expect(await ask('help')).toContain('- status — Counts things.');
    expect(custom).not.toHaveBeenCalled();
    expect(await ask('status')).toBe('custom: status');
  });

  it('streams a long result in pieces and stores it whole', async () => {
    const long = 'line\n'.repeat(1_000);
    const agent = connectAgent(hub)
      .onCommand('status', () => long)
      .hello(CARD);
    await agent.ready();
    expect(await ask('status')).toBe(long);
    await hub.waitFor(() => hub.ends.length === 1, 2_000, 'chat:end');
    expect(hub.chunks.length).toBeGreaterThan(1);
    expect(hub.chunks.map((c) => c.text).join('')).toBe(long);
  });
});

describe('createDefaultChatHandler', () => {
  const ctx = { stream: () => undefined } as unknown as ChatContext;

  it('treats a command the hub says needs approval as side-effecting, whatever the claim', async () => {
    const run = jest.fn(async () => 'ran');
    const card: AgentCard = { commands: [{ name: 'status', readOnly: true, policy: 'NEEDS_APPROVAL' }] };
    const handler = createDefaultChatHandler({ name: 'a', card: () => card, has: () => true, ruled: () => true, run });
    expect(await handler('status', ctx)).toContain('approved request');
    expect(run).not.toHaveBeenCalled();
    expect(helpText('a', card)).toContain('- status [needs approval]');
  });

  it("runs nothing on the agent's own claim before the hub has ruled", async () => {
    const run = jest.fn(async () => 'ran');
    const card: AgentCard = { commands: [{ name: 'status', readOnly: true }, { name: 'wipe' }] };
    const handler = createDefaultChatHandler({ name: 'a', card: () => card, has: () => true, ruled: () => false, run });
    expect(await handler('status', ctx)).toBe(stillConnectingText('status'));
    expect(stillConnectingText('status')).toContain('Try again in a moment');
    expect(await handler('wipe', ctx)).toContain('approved request');
    expect(run).not.toHaveBeenCalled();
  });

  it('says the effective policy when the card carries it', () => {
    const card: AgentCard = { commands: [{ name: 'status', readOnly: true, policy: 'READ_ONLY' }] };
    expect(helpText('a', card)).toContain('- status [read-only]');
    expect(helpText('a', { commands: [] })).toContain('I have no commands.');
  });
});

describe('CommandDispatcher.runDirect (a command typed in chat)', () => {
  const from = { id: 2, name: 'member', kind: 'MEMBER' as const };
  const hang = (_args: string, ctx: { signal: AbortSignal }) =>
    new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));

  it('gives up after its timeout and when the agent closes', async () => {
    const dispatcher = new CommandDispatcher({ progress: () => undefined, result: () => undefined });
    dispatcher.register('hang', hang);
    await expect(dispatcher.runDirect('hang', '', { from, stream: () => undefined, timeoutMs: 20 })).rejects.toThrow(
      'took too long',
    );
    const running = dispatcher.runDirect('hang', '', { from, stream: () => undefined });
    dispatcher.abortAll('agent is shutting down');
    await expect(running).rejects.toThrow('agent is shutting down');
  });

  it('streams progress as lines and passes the human as ctx.from', async () => {
    const dispatcher = new CommandDispatcher({ progress: () => undefined, result: () => undefined });
    dispatcher.register('look', (args, ctx) => {
      ctx.stream('looking');
      return `${ctx.from.kind} ${ctx.argv.join('|')}`;
    });
    const pieces: string[] = [];
    await expect(dispatcher.runDirect('look', 'a "b c"', { from, stream: (t) => pieces.push(t) })).resolves.toBe(
      'MEMBER a|b c',
    );
    expect(pieces).toEqual(['looking\n']);
  });
});
