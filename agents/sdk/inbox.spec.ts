import { closeAll, connectAgent, AGENT, AGENT_TOKEN, startHub } from '../test/helpers';
import { httpInboxReader, type InboxReader } from './inbox';
import type { TestHub } from '../test/test-hub';

describe('Agent inbox catch-up', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  const repliesTo = (text: string) => hub.messages.filter((m) => m.senderId === AGENT.id && m.text === `got ${text}`);

  it('answers a stored message whose push was lost as soon as the hub sends sync:hint, once', async () => {
    const handler = jest.fn((text: string) => `got ${text}`);
    const agent = connectAgent(hub).onChat(handler);
    await agent.ready();
    await hub.waitFor(() => hub.inboxReads >= 1, 2_000, 'the first inbox read (the mark)');
    hub.sendChat(AGENT.id, 'lost', undefined, { live: false });
    hub.sendChat(AGENT.id, 'live');
    await hub.waitFor(() => repliesTo('live').length === 1, 2_000, 'reply to the live one');
    expect(repliesTo('lost')).toHaveLength(0); // nobody told it yet: this is the gap

    hub.hint(AGENT.id);
    await hub.waitFor(() => repliesTo('lost').length === 1, 2_000, 'reply to the lost one');
    hub.hint(AGENT.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(repliesTo('lost')).toHaveLength(1);
    expect(repliesTo('live')).toHaveLength(1);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('retries a catch-up whose read failed (a node still restarting), instead of waiting for the next hint', async () => {
    let failures = 1;
    const reader: InboxReader = async (after) => {
      const page = await httpInboxReader(hub.url, AGENT_TOKEN, 2_000)(after);
      if (after !== undefined && failures-- > 0) throw new Error('502 from the balancer');
      return page;
    };
    const agent = connectAgent(hub, { inboxReader: reader }).onChat((text) => `got ${text}`);
    await agent.ready();
    await hub.waitFor(() => hub.inboxReads >= 1, 2_000, 'the mark');
    hub.sendChat(AGENT.id, 'lost', undefined, { live: false });
    hub.hint(AGENT.id);
    await hub.waitFor(() => repliesTo('lost').length === 1, 3_000, 'reply after the retry');
  });

  it('catches up by itself after a reconnect, without answering history from before it first connected', async () => {
    hub.sendChat(AGENT.id, 'before the agent existed', undefined, { live: false });
    const agent = connectAgent(hub).onChat((text) => `got ${text}`);
    await agent.ready();
    await hub.waitFor(() => hub.inboxReads >= 1, 2_000, 'the first inbox read (the mark)');

    await hub.stop();
    await hub.listen();
    // Stored while the agent was away (or while its node was gone): nobody pushes it.
    hub.sendChat(AGENT.id, 'while away', undefined, { live: false });
    await hub.waitFor(() => repliesTo('while away').length === 1, 5_000, 'reply after the reconnect');
    expect(repliesTo('before the agent existed')).toHaveLength(0);
  });
});
