import { closeAll, connectAgent, AGENT, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import type { Agent } from '.';

describe('Agent command catch-up (a lost command:run push)', () => {
  let hub: TestHub;
  let agent: Agent;
  let runs: string[];

  beforeEach(async () => {
    hub = await startHub();
    runs = [];
    agent = connectAgent(hub).onCommand('clean', (args) => {
      runs.push(args);
      return `cleaned ${args}`;
    });
    await agent.ready();
    await hub.waitFor(() => hub.pendingReads >= 1, 2_000, 'the catch-up on connect');
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  it('runs a stored command whose push was lost as soon as the hub sends sync:hint, once', async () => {
    const lost = hub.runCommand(AGENT.id, 'clean', '/tmp/lost', 10_000, { live: false });
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual([]); // nobody told it yet: this is the gap

    hub.hint(AGENT.id);
    await expect(lost.result).resolves.toMatchObject({ ok: true, result: 'cleaned /tmp/lost' });
    hub.hint(AGENT.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['/tmp/lost']);
    expect(hub.claims.filter((c) => c.commandId === lost.commandId && c.run)).toHaveLength(1);
  });

  it('finds a lost command after a reconnect, without a hint', async () => {
    const disconnected = new Promise((resolve) => agent.on('disconnect', resolve));
    await hub.stop();
    await disconnected;
    await hub.listen();
    const lost = hub.runCommand(AGENT.id, 'clean', '/var/old', 10_000, { live: false });
    await expect(lost.result).resolves.toMatchObject({ ok: true, result: 'cleaned /var/old' });
    expect(runs).toEqual(['/var/old']);
  });

  it('claims every command before it runs: delivered live and by catch-up it runs once; one another process claimed never runs', async () => {
    const twice = hub.runCommand(AGENT.id, 'clean', '/twice');
    hub.hint(AGENT.id); // the catch-up lists it too while the live push is being claimed or run
    await expect(twice.result).resolves.toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['/twice']);

    // A previous process of this agent (before a restart) took it on: this one must not run it again.
    const taken = hub.runCommand(AGENT.id, 'clean', '/taken', 1_000, { live: false });
    hub.commands.get(taken.commandId)!.claimedBy = 'an-earlier-process';
    hub.hint(AGENT.id);
    await hub.waitFor(() => hub.pendingReads >= 3, 2_000, 'the hinted catch-up');
    hub.pushRun(taken.commandId);
    await hub.waitFor(() => hub.claims.some((c) => c.commandId === taken.commandId), 2_000, 'the refused claim');
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['/twice']);
    expect(hub.claims.find((c) => c.commandId === taken.commandId)).toMatchObject({ run: false });
    await expect(taken.result).rejects.toThrow('timed out');
    expect(hub.results.has(taken.commandId)).toBe(false);
  });
});
