import type { AgentCommandDto, CommandRunEvent } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { connect as connectAgent } from '../../agents/sdk';
import { CommandsService } from '../src/commands/commands.service';
import { SyncHints } from '../src/gateway/sync-hints';
import { call, closeAll, connect, sleep } from './support/sockets';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

/**
 * A command stored and never pushed: what is left when the node that wrote an approved command died before
 * its `command:run` reached the agent (or Redis was down). Agents catch up on it (`command:pending`) and
 * claim each command before running it (`command:claim`), so it runs exactly once however it arrives.
 */
describe('commands whose command:run push was lost', () => {
  let t: TestApp;
  let requester: number;

  beforeAll(async () => {
    t = await startTestApp();
    requester = (await createUser(t, 'asks-for-commands')).user.id;
  });
  afterEach(() => closeAll());
  afterAll(async () => t.close());

  /** Stored RUNNING, as `dispatch` leaves it, but no push ever left. */
  async function storedNotPushed(agent: { id: number }, text: string): Promise<number> {
    const commands = t.app.get(CommandsService);
    const cmd = await commands.create(t.app.get(DataSource).manager, {
      agentId: agent.id,
      agentName: 'agent',
      text,
      requestedBy: requester,
      conversationId: null,
      approvalId: null,
    });
    return cmd.id;
  }

  const status = async (id: number) =>
    (await t.http().get(`/api/commands/${id}`).set('authorization', `Bearer ${t.adminToken}`)).body as AgentCommandDto;

  it('command:pending lists what was sent and not claimed by another process; command:claim grants one process, once', async () => {
    const agent = await registerAgent(t, 'claiming-bot');
    const other = await registerAgent(t, 'other-claiming-bot');
    const socket = await connect(t.url, agent.token);
    const id = await storedNotPushed(agent, 'clean /tmp/lost');

    const first = 'process-aaaaaaaa';
    const second = 'process-bbbbbbbb';
    const pending = await call(socket, 'command:pending', { instance: first });
    expect(pending).toEqual({
      ok: true,
      commands: [
        expect.objectContaining({ commandId: id, command: 'clean', args: '/tmp/lost', deadline: expect.any(String) }),
      ],
    });

    expect(await call(socket, 'command:claim', { commandId: id, instance: first })).toEqual({ ok: true, run: true });
    // Its ack lost with a node: the same process asks again and is granted again (it runs an id once itself).
    expect(await call(socket, 'command:claim', { commandId: id, instance: first })).toEqual({ ok: true, run: true });
    // Another process of the same agent (a restart) never gets it, and no longer sees it as pending.
    expect(await call(socket, 'command:claim', { commandId: id, instance: second })).toEqual({ ok: true, run: false });
    expect((await call(socket, 'command:pending', { instance: second })).commands).toEqual([]);
    expect(
      (await call(socket, 'command:pending', { instance: first })).commands.map((c: CommandRunEvent) => c.commandId),
    ).toEqual([id]);

    // Another agent cannot see or take it.
    const stranger = await connect(t.url, other.token);
    expect((await call(stranger, 'command:pending', { instance: second })).commands).toEqual([]);
    expect(await call(stranger, 'command:claim', { commandId: id, instance: second })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    // Ended: nothing pending, no claim granted, even to the process that had it.
    expect(await call(socket, 'command:result', { commandId: id, ok: true, result: 'cleaned' })).toEqual({ ok: true });
    expect((await call(socket, 'command:pending', { instance: first })).commands).toEqual([]);
    expect(await call(socket, 'command:claim', { commandId: id, instance: first })).toEqual({ ok: true, run: false });
    expect(await status(id)).toMatchObject({ status: 'SUCCEEDED', result: 'cleaned' });
  });

  it('refuses humans and malformed claims clearly', async () => {
    const { token } = await createUser(t, 'not-an-agent');
    const human = await connect(t.url, token);
    expect(await call(human, 'command:pending', { instance: 'process-aaaaaaaa' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call(human, 'command:claim', { commandId: 1, instance: 'process-aaaaaaaa' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const agent = await registerAgent(t, 'sloppy-bot');
    const socket = await connect(t.url, agent.token);
    const bad = await call(socket, 'command:claim', { commandId: 'one', instance: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call(socket, 'command:pending', { instance: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('the TypeScript SDK runs a lost command when the hub sends sync:hint, exactly once, and one delivered twice once', async () => {
    const agent = await registerAgent(t, 'sdk-custodian');
    const runs: string[] = [];
    const sdk = connectAgent({ url: t.url, token: agent.token, name: 'sdk-custodian' }).onCommand('clean', (args) => {
      runs.push(args);
      return `cleaned ${args}`;
    });
    try {
      await sdk.ready();
      await sleep(300); // its catch-up on connect found nothing
      const lost = await storedNotPushed(agent, 'clean /var/lost');
      await sleep(300);
      expect(runs).toEqual([]); // nobody told it: this is the gap

      t.app.get(SyncHints).hint('peer');
      await waitUntil(async () => (await status(lost)).status === 'SUCCEEDED');
      expect(await status(lost)).toMatchObject({ result: 'cleaned /var/lost' });

      // Pushed live and listed by a catch-up at the same time: still one run.
      const twice = await storedNotPushed(agent, 'clean /var/twice');
      const pushed = await t.app.get(CommandsService).get(twice);
      await t.app.get(CommandsService).dispatch(pushed!, { id: requester, name: 'asks-for-commands', kind: 'MEMBER' });
      t.app.get(SyncHints).hint('peer');
      await waitUntil(async () => (await status(twice)).status === 'SUCCEEDED');
      t.app.get(SyncHints).hint('peer');
      await sleep(500);
      expect(runs).toEqual(['/var/lost', '/var/twice']);
    } finally {
      await sdk.close();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(100);
  }
}
