import { closeAll, connectAgent, AGENT, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';

describe('Agent chat', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await closeAll();
    await hub.stop();
  });

  it('streams a reply: chunks, then one stored message with the full text and the same streamId, then end', async () => {
    const agent = connectAgent(hub).onChat(async (text, ctx) => {
      ctx.stream('you said: ');
      ctx.stream(text);
    });
    await agent.ready();
    hub.sendChat(AGENT.id, 'hi there');
    await hub.waitFor(() => hub.ends.length === 1, 2_000, 'chat:end');

    // (`command:pending` is the command catch-up every connect runs.)
    const events = hub.received.map((r) => r.event).filter((e) => e !== 'command:pending');
    expect(events).toEqual(['chat:chunk', 'chat:chunk', 'chat:send', 'chat:end']);
    const reply = hub.messages.find((m) => m.senderId === AGENT.id);
    const streamId = hub.chunks[0]!.streamId;
    expect(reply).toMatchObject({ targetId: 1, text: 'you said: hi there', streamId });
    expect(hub.chunks.every((c) => c.streamId === streamId && c.targetId === 1)).toBe(true);
    expect(hub.ends[0]).toEqual({ targetId: 1, streamId });
  });

  it('sends a plain returned reply as one message without a stream', async () => {
    const agent = connectAgent(hub).onChat((text) => text.toUpperCase());
    await agent.ready();
    hub.sendChat(AGENT.id, 'quiet');
    const reply = await hub.waitFor(() => hub.messages.find((m) => m.senderId === AGENT.id), 2_000, 'reply');
    expect(reply).toMatchObject({ text: 'QUIET', streamId: null, localId: expect.any(String) });
    expect(hub.received.map((r) => r.event).filter((e) => e !== 'command:pending')).toEqual(['chat:send']);
  });

  it('answers humans only, so two agents never talk in a loop', async () => {
    const handler = jest.fn(() => 'pong');
    const agent = connectAgent(hub).onChat(handler);
    await agent.ready();
    hub.sendChat(AGENT.id, 'from a bot', { id: 99, name: 'other-bot', kind: 'AGENT' });
    hub.sendChat(AGENT.id, 'from a human');
    await hub.waitFor(() => hub.messages.some((m) => m.senderId === AGENT.id), 2_000, 'reply');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith('from a human', expect.anything());
  });

  it("answers the Butler's question too, naming the message it answers (replyTo)", async () => {
    const agent = connectAgent(hub).onChat(() => 'no rain today');
    await agent.ready();
    const question = hub.sendChat(AGENT.id, 'is it going to rain?', { id: 2, name: 'Butler', kind: 'BUTLER' });
    await hub.waitFor(() => hub.messages.some((m) => m.senderId === AGENT.id), 2_000, 'reply');
    const sent = hub.received.find((r) => r.event === 'chat:send')!.payload;
    expect(sent).toMatchObject({ targetId: 2, text: 'no rain today', replyTo: question.id });
  });

  it('answers a message pushed again (its sender resent it) only once', async () => {
    const handler = jest.fn((text: string) => `got ${text}`);
    const agent = connectAgent(hub).onChat(handler);
    await agent.ready();
    const first = hub.sendChat(AGENT.id, 'once');
    hub.pushAgain(first);
    hub.sendChat(AGENT.id, 'twice');
    await hub.waitFor(() => hub.messages.filter((m) => m.senderId === AGENT.id).length === 2, 2_000, 'two replies');
    hub.pushAgain(first);
    await new Promise((r) => setTimeout(r, 100));
    expect(handler.mock.calls.map(([text]) => text)).toEqual(['once', 'twice']);
    expect(hub.messages.filter((m) => m.senderId === AGENT.id).map((m) => m.text)).toEqual(['got once', 'got twice']);
  });

  it('tells the human when the handler fails', async () => {
    const agent = connectAgent(hub).onChat(() => {
      throw new Error('no idea');
    });
    await agent.ready();
    hub.sendChat(AGENT.id, 'anything');
    const reply = await hub.waitFor(() => hub.messages.find((m) => m.senderId === AGENT.id), 2_000, 'reply');
    expect(reply.text).toBe('Sorry, that failed: no idea');
  });
});
