import { closeAll, connectAgent, AGENT, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import type { Agent } from '.';

describe('Agent commands', () => {
  let hub: TestHub;
  let agent: Agent;

  beforeEach(async () => {
    hub = await startHub();
    agent = connectAgent(hub);
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  it('sends a string result as-is and an object as JSON', async () => {
    agent.onCommand('greet', (args) => `hello ${args}`);
    agent.onCommand('stats', (_args, ctx) => ({ argv: ctx.argv, from: ctx.from.name }));
    await agent.ready();

    await expect(hub.runCommand(AGENT.id, 'greet', 'world').result).resolves.toEqual({
      commandId: expect.any(Number),
      ok: true,
      result: 'hello world',
    });
    const stats = await hub.runCommand(AGENT.id, 'stats', 'a "b c"').result;
    expect(JSON.parse(stats.result ?? '')).toEqual({ argv: ['a', 'b c'], from: 'operator' });
  });

  it('accepts the arguments inline in the command text', async () => {
    agent.onCommand('get_file', (args) => `file ${args}`);
    await agent.ready();
    const { result } = await hub.runCommand(AGENT.id, 'get_file notes.md').result;
    expect(result).toBe('file notes.md');
  });

  it('turns a thrown error into ok:false and names the known commands for an unknown one', async () => {
    agent.onCommand('boom', async () => {
      throw new Error('disk on fire');
    });
    await agent.ready();
    await expect(hub.runCommand(AGENT.id, 'boom').result).resolves.toMatchObject({ ok: false, error: 'disk on fire' });
    await expect(hub.runCommand(AGENT.id, 'nope').result).resolves.toMatchObject({
      ok: false,
      error: 'unknown command "nope" (this agent knows: boom)',
    });
  });

  it('streams progress before the result, in order', async () => {
    agent.onCommand('count', async (_args, ctx) => {
      for (let i = 1; i <= 3; i++) ctx.stream(`step ${i}`);
      await new Promise((r) => setTimeout(r, 20));
      return 'done';
    });
    await agent.ready();
    const running = hub.runCommand(AGENT.id, 'count');
    await running.result;
    expect(running.progress()).toEqual(['step 1', 'step 2', 'step 3']);
    const events = hub.received.map((r) => r.event).filter((e) => e.startsWith('command:') && e !== 'command:pending');
    // Claimed before it runs (docs/protocol.md, "Catching up"), then progress in order, then the result.
    expect(events).toEqual([
      'command:claim',
      'command:progress',
      'command:progress',
      'command:progress',
      'command:result',
    ]);
  });

  it('aborts the handler on command:cancel and reports the cancellation', async () => {
    let sawAbort = false;
    agent.onCommand('wait', (_args, ctx) => {
      ctx.signal.addEventListener('abort', () => (sawAbort = true));
      return new Promise(() => undefined); // never finishes on its own
    });
    await agent.ready();
    const running = hub.runCommand(AGENT.id, 'wait');
    await new Promise((r) => setTimeout(r, 50));
    hub.cancel(AGENT.id, running.commandId, 'operator changed their mind');
    await expect(running.result).resolves.toMatchObject({ ok: false, error: 'cancelled: operator changed their mind' });
    expect(sawAbort).toBe(true);
  });

  it('aborts when the deadline passes', async () => {
    agent.onCommand('slow', () => new Promise(() => undefined));
    await agent.ready();
    const { result } = hub.runCommand(AGENT.id, 'slow', undefined, 100);
    await expect(result).resolves.toMatchObject({ ok: false, error: 'cancelled: deadline passed' });
  });

  it('resends a result until the hub acks it, and runs a re-delivered command only once', async () => {
    let runs = 0;
    agent.onCommand('once', () => `run ${++runs}`);
    await agent.ready();
    hub.dropResultAcks = 1;
    const running = hub.runCommand(AGENT.id, 'once');
    await running.result;
    await hub.waitFor(() => agent.stats.pendingReplies === 0, 3_000, 'acked result');
    const sends = hub.received.filter((r) => r.event === 'command:result');
    expect(sends).toHaveLength(2);
    expect(sends.map((s) => s.payload)).toEqual([sends[0]!.payload, sends[0]!.payload]);
    expect(runs).toBe(1);
  });

  it('keeps a result produced while offline and delivers it after reconnecting', async () => {
    let release!: () => void;
    agent.onCommand('later', () => new Promise<string>((resolve) => (release = () => resolve('finally'))));
    await agent.ready();
    const running = hub.runCommand(AGENT.id, 'later');
    await hub.waitFor(() => release !== undefined, 2_000, 'command start');
    const disconnected = new Promise((resolve) => agent.on('disconnect', resolve));
    await hub.stop();
    await disconnected;
    release();
    await new Promise((r) => setTimeout(r, 50));
    await hub.listen();
    await expect(running.result).resolves.toMatchObject({ ok: true, result: 'finally' });
  });
});
