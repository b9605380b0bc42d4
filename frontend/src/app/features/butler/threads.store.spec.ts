import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ChatMessageDto, ConversationDto } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../../core/realtime/socket.service';
import { ThreadsStore, titleFrom } from './threads.store';

function conv(id: number, o: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id,
    ownerId: 1,
    title: `t${id}`,
    pinned: false,
    archived: false,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    lastMessageAt: null,
    ...o,
  };
}

describe('ThreadsStore', () => {
  let store: ThreadsStore;
  let http: HttpTestingController;
  let socket: FakeSocket;

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        ...fake.providers,
        SocketService,
        ThreadsStore,
      ],
    });
    store = TestBed.inject(ThreadsStore);
    http = TestBed.inject(HttpTestingController);
    socket = fake.sockets[0];
    store.load();
    http
      .expectOne((r) => r.url === '/api/conversations')
      .flush([
        conv(1, { lastMessageAt: '2026-01-01T10:00:00Z' }),
        conv(2, { lastMessageAt: '2026-01-01T12:00:00Z' }),
        conv(3, { pinned: true }),
        conv(4, { archived: true }),
      ]);
  });

  afterEach(() => http.verify());

  it('lists pinned first, then the most recently active; archived apart', () => {
    expect(store.visible().map((c) => c.id)).toEqual([3, 2, 1]);
    store.showArchived.set(true);
    expect(store.visible().map((c) => c.id)).toEqual([4]);
  });

  it('moves a thread up when a message arrives in it, without refetching the list', () => {
    const m: ChatMessageDto = {
      id: 9,
      conversationId: 1,
      senderId: 2,
      senderName: 'Butler',
      senderKind: 'BUTLER',
      targetId: 1,
      text: 'done',
      createdAt: '2026-01-01T13:00:00Z',
    };
    jest.useFakeTimers();
    try {
      socket.serverEmit('chat:message', m);
      expect(store.visible().map((c) => c.id)).toEqual([3, 1, 2]);
      jest.advanceTimersByTime(5000);
      http.expectNone((r) => r.url === '/api/conversations');
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps a thread in place when an older message is pushed again', () => {
    const old: ChatMessageDto = {
      id: 5,
      conversationId: 1,
      senderId: 2,
      senderName: 'ann',
      senderKind: 'MEMBER',
      targetId: 1,
      text: 'resent',
      createdAt: '2026-01-01T09:00:00Z',
    };
    socket.serverEmit('chat:message', old);
    expect(store.byId().get(1)?.lastMessageAt).toBe('2026-01-01T10:00:00Z');
    expect(store.visible().map((c) => c.id)).toEqual([3, 2, 1]);
  });

  it('applies pushed thread changes: new threads, titles, pins; an older state never wins', () => {
    socket.serverEmit(
      'conversation:updated',
      conv(7, { title: 'From the other tab', updatedAt: '2026-01-02T00:00:00Z' }),
    );
    expect(store.byId().get(7)?.title).toBe('From the other tab');
    socket.serverEmit(
      'conversation:updated',
      conv(1, { title: 'Disk check', pinned: true, updatedAt: '2026-01-03T00:00:00Z' }),
    );
    expect(store.visible().map((c) => c.id)).toEqual([1, 3, 7, 2]);
    // The title push was built before the message this tab already saw: its activity time stays.
    expect(store.byId().get(1)?.lastMessageAt).toBe('2026-01-01T10:00:00Z');
    socket.serverEmit('conversation:updated', conv(1, { title: 'stale', updatedAt: '2026-01-02T12:00:00Z' }));
    expect(store.byId().get(1)).toMatchObject({ title: 'Disk check', pinned: true });
  });

  it('drops a thread deleted elsewhere and says so once', () => {
    const removed: number[] = [];
    store.removed$.subscribe((id) => removed.push(id));
    socket.serverEmit('conversation:removed', { id: 2 });
    socket.serverEmit('conversation:removed', { id: 2 });
    expect(store.byId().has(2)).toBe(false);
    expect(removed).toEqual([2]);
  });

  it('deletes through DELETE', async () => {
    const removed: number[] = [];
    store.removed$.subscribe((id) => removed.push(id));
    const done = store.remove(1);
    const req = http.expectOne('/api/conversations/1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(store.visible().map((c) => c.id)).toEqual([3, 2]);
    expect(removed).toEqual([1]);
  });

  it('renames, pins and archives through PATCH', async () => {
    const done = store.update(2, { archived: true });
    const req = http.expectOne('/api/conversations/2');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ archived: true });
    req.flush(conv(2, { archived: true }));
    await done;
    expect(store.visible().map((c) => c.id)).toEqual([3, 1]);
  });

  it('titles a new thread after the first line of the question', () => {
    expect(titleFrom('Check the disk\nand clean up')).toBe('Check the disk');
    expect(titleFrom('x'.repeat(80))).toHaveLength(58);
  });
});
