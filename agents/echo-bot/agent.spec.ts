import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createEchoBot } from './agent';

describe('Echo-Bot', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
    await runProgram(hub, createEchoBot({ stepMs: 5, heartbeatMs: 50 }));
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
  });

  it('echoes, counts with streamed progress, and refuses a bad count', async () => {
    await expect(hub.runCommand(AGENT.id, 'echo', 'ping 42').result).resolves.toMatchObject({
      ok: true,
      result: 'ping 42',
    });
    const counting = hub.runCommand(AGENT.id, 'count', '3');
    await expect(counting.result).resolves.toMatchObject({ ok: true, result: 'counted to 3' });
    expect(counting.progress()).toEqual(['1', '2', '3']);
    await expect(hub.runCommand(AGENT.id, 'count', 'lots').result).resolves.toMatchObject({ ok: false });
  });

  it('can be cancelled mid-count', async () => {
    const counting = hub.runCommand(AGENT.id, 'count', '100');
    await hub.waitFor(() => counting.progress().length >= 2, 2_000, 'progress');
    hub.cancel(AGENT.id, counting.commandId, 'enough');
    await expect(counting.result).resolves.toMatchObject({ ok: false, error: 'cancelled: enough' });
  });

  it('streams chat replies and reports that it is alive', async () => {
    hub.sendChat(AGENT.id, 'hello bot');
    await hub.waitFor(() => hub.ends.length === 1, 2_000, 'chat:end');
    expect(hub.chunks.map((c) => c.text).join('')).toBe('Echo: hello bot');
    expect(hub.messages.find((m) => m.senderId === AGENT.id)?.text).toBe('Echo: hello bot');
    await hub.waitFor(() => hub.logs.some((l) => l.content.startsWith('Echo-Bot alive')), 2_000, 'heartbeat');
    expect(hub.logs[0]).toMatchObject({ level: 'SUCCESS', content: 'Echo-Bot online and listening' });
  });

  it('keeps its own chat handler but answers help with its commands (issue 20)', async () => {
    hub.sendChat(AGENT.id, 'help');
    const reply = await hub.waitFor(() => hub.messages.find((m) => m.senderId === AGENT.id), 2_000, 'help reply');
    expect(reply.text).toContain('- echo <text> — Returns the text unchanged.');
    expect(reply.text).toContain('- count <n>');
    expect(reply.text).not.toContain('Echo:');
  });
});
