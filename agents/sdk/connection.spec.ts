import { AuthError, connect } from '.';
import { AGENT, AGENT_TOKEN, FAST, closeAll, connectAgent, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';

describe('Agent connection', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  it('connects, announces its card and reports logs with acks', async () => {
    const agent = connectAgent(hub).hello({ description: 'test', commands: [{ name: 'ping', readOnly: true }] });
    await agent.ready();
    agent.log('INFO', 'hello hub');
    await hub.waitFor(() => hub.logs.length === 1, 2_000, 'log');
    expect(hub.logs[0]).toMatchObject({ agentId: AGENT.id, level: 'INFO', content: 'hello hub' });
    expect(hub.hellos).toEqual([{ actorId: AGENT.id, card: expect.objectContaining({ description: 'test' }) }]);
  });

  it('resends a log whose ack was lost with the same localId, so the hub stores it once', async () => {
    hub.dropLogAcks = 1;
    const agent = connectAgent(hub).hello({ commands: [] });
    await agent.ready();
    agent.log('WARNING', 'disk at 91%');
    agent.log('INFO', 'disk at 90%');
    await hub.waitFor(() => agent.stats.queuedLogs === 0, 5_000, 'both acks');
    const sent = hub.received
      .filter((r) => r.event === 'log:report')
      .map((r) => r.payload as { content: string; localId?: string });
    expect(sent.map((p) => p.content)).toEqual(['disk at 91%', 'disk at 91%', 'disk at 90%']);
    expect(sent[0].localId).toEqual(expect.any(String));
    expect(sent[1].localId).toBe(sent[0].localId);
    expect(sent[2].localId).not.toBe(sent[0].localId);
    expect(hub.logs.map((l) => l.content)).toEqual(['disk at 91%', 'disk at 90%']);
  });

  it('queues logs while the hub is down and delivers them in order after it restarts, with a new hello', async () => {
    const agent = connectAgent(hub).hello({ commands: [] });
    await agent.ready();
    agent.log('INFO', 'before');
    await hub.waitFor(() => hub.logs.length === 1, 2_000, 'first log');

    const disconnected = new Promise((resolve) => agent.on('disconnect', resolve));
    await hub.stop();
    await disconnected;
    for (let i = 1; i <= 5; i++) agent.log('INFO', `offline ${i}`);
    expect(agent.stats.queuedLogs).toBe(5);

    await hub.listen();
    await hub.waitFor(() => hub.logs.length === 6, 5_000, 'queued logs');
    expect(hub.logs.map((l) => l.content)).toEqual([
      'before',
      'offline 1',
      'offline 2',
      'offline 3',
      'offline 4',
      'offline 5',
    ]);
    expect(hub.hellos).toHaveLength(2);
    await hub.waitFor(() => agent.stats.queuedLogs === 0, 2_000, 'the last ack');
  });

  it('bounds the offline queue: drops the oldest and reports how many first', async () => {
    const agent = connectAgent(hub, { maxQueuedLogs: 3 });
    await agent.ready();
    const disconnected = new Promise((resolve) => agent.on('disconnect', resolve));
    await hub.stop();
    await disconnected;
    for (let i = 1; i <= 5; i++) agent.log('INFO', `line ${i}`);

    await hub.listen();
    await hub.waitFor(() => hub.logs.length === 4, 5_000, 'logs after reconnect');
    expect(hub.logs.map((l) => [l.level, l.content])).toEqual([
      ['WARNING', '2 log entries were dropped while disconnected (queue full)'],
      ['INFO', 'line 3'],
      ['INFO', 'line 4'],
      ['INFO', 'line 5'],
    ]);
    expect(agent.stats.droppedLogs).toBe(2);
  });

  it('keeps retrying while the hub is unreachable, with growing delays', async () => {
    const agent = connectAgent(hub);
    await agent.ready();
    const delays: number[] = [];
    agent.on('reconnecting', (_attempt, delayMs) => delays.push(delayMs));
    await hub.stop();
    await hub.waitFor(() => delays.length >= 4, 3_000, 'reconnect attempts');
    await hub.listen();
    await hub.waitFor(() => agent.connected, 3_000, 'reconnection');
    // Equal jitter: attempt n waits between half and all of min(max, initial * 2^n).
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[3]).toBeGreaterThanOrEqual(50);
    expect(Math.max(...delays)).toBeLessThanOrEqual(100);
  });

  it('reports logs the hub refuses as warnings instead of retrying them forever', async () => {
    const agent = connectAgent(hub);
    const warnings: string[] = [];
    agent.on('warning', (w) => warnings.push(w));
    await agent.ready();
    agent.log('LOUD' as never, 'bad level');
    agent.log('INFO', 'fine');
    await hub.waitFor(() => hub.logs.length === 1, 2_000, 'valid log');
    expect(warnings).toEqual([expect.stringContaining('VALIDATION_FAILED')]);
  });

  it('fails fast with one AuthError and no retries when the token is refused', async () => {
    const agent = connect({ url: hub.url, token: 'wrong', ...FAST });
    const fatal = jest.fn();
    agent.on('fatal', fatal);
    await expect(agent.ready()).rejects.toBeInstanceOf(AuthError);
    await expect(agent.done()).rejects.toThrow(/refused the agent token/);
    await new Promise((r) => setTimeout(r, 300));
    expect(hub.handshakes).toBe(1);
    expect(fatal).toHaveBeenCalledTimes(1);
    expect(agent.connected).toBe(false);
  });

  it('stops with an AuthError when its token is rotated while connected', async () => {
    const agent = connectAgent(hub);
    await agent.ready();
    hub.revoke(AGENT_TOKEN);
    await expect(agent.done()).rejects.toBeInstanceOf(AuthError);
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.handshakes).toBe(2); // the first connection and one refused retry, no more
  });

  it('retries a handshake the hub refuses as UNAVAILABLE', async () => {
    hub.refuseUnavailable = 2;
    const agent = connectAgent(hub);
    await agent.ready();
    expect(hub.handshakes).toBe(3);
  });

  it('close() flushes queued logs, disconnects and resolves done()', async () => {
    const agent = connectAgent(hub);
    await agent.ready();
    for (let i = 0; i < 20; i++) agent.log('INFO', `bye ${i}`);
    await agent.close();
    await expect(agent.done()).resolves.toBeUndefined();
    expect(hub.logs).toHaveLength(20);
    expect(agent.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.handshakes).toBe(1);
  });
});
