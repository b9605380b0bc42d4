import { AGENT_TOKEN, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { HubLogClient, LogAccessError } from './log-client';

describe('HubLogClient', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
    for (let i = 0; i < 450; i++) hub.addLog({ agentId: 3, agentName: 'a', level: 'INFO', content: `line ${i}` });
  });

  afterEach(() => hub.stop());

  it('follows the stream by id across pages, oldest first', async () => {
    const client = new HubLogClient(hub.url, AGENT_TOKEN);
    const all = await client.after(0);
    expect(all).toHaveLength(450);
    expect(all.map((l) => l.content).slice(0, 2)).toEqual(['line 0', 'line 1']);
    expect(await client.after(all[439]!.id)).toHaveLength(10);
  });

  it('reads by time across pages, without duplicates', async () => {
    const logs = await new HubLogClient(`${hub.url}/`, AGENT_TOKEN).since(new Date(Date.now() - 60_000));
    expect(logs).toHaveLength(450);
    expect(new Set(logs.map((l) => l.id)).size).toBe(450);
    expect(logs[449]!.content).toBe('line 449');
  });

  it('names a refused token plainly', async () => {
    await expect(new HubLogClient(hub.url, 'nope').after(0)).rejects.toBeInstanceOf(LogAccessError);
  });
});
