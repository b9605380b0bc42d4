import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ChatMessageDto, Page } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../../core/realtime/socket.service';
import { ChatStore, ORPHAN_STREAM_MS } from './chat.store';

const ME = 1;
const AGENT = 7;
let nextId = 100;

function msg(overrides: Partial<ChatMessageDto> = {}): ChatMessageDto {
  const id = overrides.id ?? nextId++;
  return {
    id,
    senderId: AGENT,
    senderName: 'echo-bot',
    senderKind: 'AGENT',
    targetId: ME,
    text: `m${id}`,
    conversationId: null,
    createdAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    ...overrides,
  };
}

function page(items: ChatMessageDto[], nextCursor: number | null = null): Page<ChatMessageDto> {
  return { items, nextCursor };
}

describe('ChatStore', () => {
  let store: ChatStore;
  let http: HttpTestingController;
  let socket: FakeSocket;

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession('ADMIN', ME).providers,
        ...fake.providers,
        SocketService,
        ChatStore,
      ],
    });
    store = TestBed.inject(ChatStore);
    http = TestBed.inject(HttpTestingController);
    socket = fake.sockets[0];
  });

  afterEach(() => http.verify());

  async function openWith(
    items: ChatMessageDto[],
    nextCursor: number | null = null,
    conversationId: number | null = null,
  ) {
    const opened = store.open({ peerId: AGENT, conversationId });
    const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(req.request.params.get('before')).toBeNull();
    req.flush(page(items, nextCursor));
    await opened;
  }

  it('loads the newest page and orders it oldest first, whatever order the server used', async () => {
    await openWith([msg({ id: 3 }), msg({ id: 2 }), msg({ id: 1 })], 1);
    expect(store.messages().map((m) => m.id)).toEqual([1, 2, 3]);
    expect(store.hasMore()).toBe(true);
  });

  it('pages upward with before=<oldest id> and prepends without duplicates', async () => {
    await openWith([msg({ id: 12 }), msg({ id: 11 })], 11);
    const older = store.loadOlder();
    const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(req.request.params.get('before')).toBe('11');
    req.flush(page([msg({ id: 11 }), msg({ id: 10 }), msg({ id: 9 })], null));
    await older;
    expect(store.messages().map((m) => m.id)).toEqual([9, 10, 11, 12]);
    expect(store.hasMore()).toBe(false);
    await store.loadOlder();
    http.expectNone(`/api/chat/${AGENT}/messages`);
  });

  it('shows a send at once, then swaps it for the stored row (deduplicated by localId and id)', async () => {
    await openWith([]);
    const stored = msg({
      id: 50,
      senderId: ME,
      senderName: 'alice',
      senderKind: 'ADMIN',
      targetId: AGENT,
      text: 'hello',
    });
    socket.ack = (_e, payload) => ({
      ok: true,
      message: { ...stored, localId: (payload as { localId: string }).localId },
    });
    const sending = store.send('  hello  ');
    expect(store.pending()).toEqual([expect.objectContaining({ text: 'hello', state: 'sending' })]);
    const localId = store.pending()[0].localId;
    // The console's language goes along: the Butler answers in it.
    expect(socket.emitted[0].payload).toEqual({ targetId: AGENT, text: 'hello', localId, locale: 'en' });
    await sending;
    expect(store.pending()).toEqual([]);
    expect(store.messages().map((m) => m.id)).toEqual([50]);

    // The same row echoed by another tab of ours must not appear twice.
    socket.serverEmit('chat:message', { ...stored, localId });
    expect(store.messages()).toHaveLength(1);
  });

  it('drops the pending bubble when the echo arrives before the ack', async () => {
    await openWith([]);
    let answer: ((res: unknown) => void) | undefined;
    socket.timeout = () => ({
      emit: (_e: string, _p: unknown, cb: (err: Error | null, res: unknown) => void) =>
        (answer = (res) => cb(null, res)),
    });
    const sending = store.send('hi');
    const localId = store.pending()[0].localId;
    const stored = msg({ id: 60, senderId: ME, targetId: AGENT, localId, text: 'hi' });
    socket.serverEmit('chat:message', stored);
    expect(store.pending()).toEqual([]);
    answer?.({ ok: true, message: stored });
    await sending;
    expect(store.messages().map((m) => m.id)).toEqual([60]);
  });

  it('marks a refused send as failed and retries it with the same localId', async () => {
    await openWith([]);
    socket.ack = () => ({ ok: false, error: { code: 'AGENT_OFFLINE', message: 'agent offline' } });
    await store.send('are you there?');
    const [failed] = store.pending();
    expect(failed).toEqual(expect.objectContaining({ state: 'failed', error: 'agent offline' }));

    socket.ack = (_e, p) => ({
      ok: true,
      message: msg({ id: 70, senderId: ME, targetId: AGENT, localId: (p as { localId: string }).localId }),
    });
    await store.retry(failed.localId);
    expect((socket.emitted[1].payload as { localId: string }).localId).toBe(failed.localId);
    expect(store.pending()).toEqual([]);
    expect(store.messages().map((m) => m.id)).toEqual([70]);
  });

  it('ignores messages of other peers and other conversations', async () => {
    await openWith([]);
    socket.serverEmit('chat:message', msg({ id: 80, senderId: 8 }));
    socket.serverEmit('chat:message', msg({ id: 81, conversationId: 4 }));
    socket.serverEmit('chat:message', msg({ id: 82, senderId: ME, targetId: 9 }));
    socket.serverEmit('chat:message', msg({ id: 83 }));
    expect(store.messages().map((m) => m.id)).toEqual([83]);
  });

  it('renders stream chunks live and replaces them with the final stored message', async () => {
    await openWith([]);
    const chunk = { targetId: ME, streamId: 's1', senderId: AGENT, senderKind: 'AGENT' as const };
    socket.serverEmit('chat:chunk', { ...chunk, text: 'Hel' });
    socket.serverEmit('chat:chunk', { ...chunk, text: 'lo' });
    socket.serverEmit('chat:chunk', { ...chunk, senderId: 99, text: 'not ours' });
    expect(store.streams()).toEqual([expect.objectContaining({ streamId: 's1', text: 'Hello' })]);

    socket.serverEmit('chat:message', msg({ id: 90, text: 'Hello world', streamId: 's1' }));
    expect(store.streams()).toEqual([]);
    expect(store.messages().map((m) => m.text)).toEqual(['Hello world']);

    // A chunk that straggles in after the stored message must not resurrect the stream.
    socket.serverEmit('chat:chunk', { ...chunk, text: '!' });
    socket.serverEmit('chat:end', { targetId: ME, streamId: 's1', senderId: AGENT, senderKind: 'AGENT' });
    expect(store.streams()).toEqual([]);
  });

  it('keeps a Butler thread to its conversation id', async () => {
    await openWith([], null, 5);
    socket.serverEmit('chat:message', msg({ id: 91, conversationId: 5 }));
    socket.serverEmit('chat:message', msg({ id: 92, conversationId: 6 }));
    socket.serverEmit('chat:message', msg({ id: 93, conversationId: null }));
    expect(store.messages().map((m) => m.id)).toEqual([91]);
    socket.ack = () => ({ ok: true, message: msg({ id: 94, senderId: ME, targetId: AGENT, conversationId: 5 }) });
    await store.send('run it');
    expect(socket.emitted[0].payload).toEqual(expect.objectContaining({ targetId: AGENT, conversationId: 5 }));
  });

  it('catches up after a reconnect with after=<newest id>', async () => {
    await openWith([msg({ id: 21 }), msg({ id: 20 })]);
    socket.fire('connect');
    socket.fire('disconnect', 'transport close');
    socket.fire('connect');
    const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(req.request.params.get('after')).toBe('21');
    req.flush(page([msg({ id: 21 }), msg({ id: 22 }), msg({ id: 23 })]));
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.messages().map((m) => m.id)).toEqual([20, 21, 22, 23]);
  });

  it('on sync:hint catches up from what it loaded, not from a live push that overtook a lost one', async () => {
    await openWith([msg({ id: 21 }), msg({ id: 20 })]);
    socket.fire('connect');
    // 22 was stored but its push was lost with its node; 23 was pushed live.
    socket.serverEmit('chat:message', msg({ id: 23 }));
    socket.serverEmit('sync:hint', { reason: 'peer' });
    const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(req.request.params.get('after')).toBe('21');
    req.flush(page([msg({ id: 22 }), msg({ id: 23 })]));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.messages().map((m) => m.id)).toEqual([20, 21, 22, 23]);
    // Caught up through 23: the next hint starts there.
    socket.serverEmit('sync:hint', { reason: 'adapter' });
    const next = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(next.request.params.get('after')).toBe('23');
    next.flush(page([]));
    await new Promise((r) => setTimeout(r, 0));
  });

  it('catches up a conversation that was empty when opened from its start', async () => {
    await openWith([]);
    socket.fire('connect');
    socket.serverEmit('chat:message', msg({ id: 42 }));
    socket.serverEmit('sync:hint', { reason: 'peer' });
    const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
    expect(req.request.params.get('after')).toBe('0');
    req.flush(page([msg({ id: 41 }), msg({ id: 42 })]));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.messages().map((m) => m.id)).toEqual([41, 42]);
  });

  it('fetches the stored reply itself when a stream ends without one', async () => {
    await openWith([msg({ id: 30 })]);
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const base = { targetId: ME, streamId: 's9', senderId: AGENT, senderKind: 'AGENT' as const };
      socket.serverEmit('chat:chunk', { ...base, text: 'partial' });
      socket.serverEmit('chat:end', base);
      expect(store.streams()).toEqual([expect.objectContaining({ ended: true })]);
      jest.advanceTimersByTime(ORPHAN_STREAM_MS);
      expect(store.streams()).toEqual([]);
      const req = http.expectOne((r) => r.url === `/api/chat/${AGENT}/messages`);
      expect(req.request.params.get('after')).toBe('30');
      req.flush(page([msg({ id: 31, text: 'partial and whole', streamId: 's9' })]));
    } finally {
      jest.useRealTimers();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(store.messages().map((m) => m.text)).toEqual(['m30', 'partial and whole']);
  });
});
