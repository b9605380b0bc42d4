import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { LogDto, LogLevel } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../../core/realtime/socket.service';
import { LogsStore, MAX_ROWS } from './logs.store';

const NOW = Date.now();
function log(id: number, level: LogLevel = 'INFO', agentId = 7, content = `line ${id}`): LogDto {
  return {
    id,
    agentId,
    agentName: agentId === 7 ? 'echo-bot' : 'storage-custodian',
    level,
    content,
    createdAt: new Date(NOW - 1000).toISOString(),
  };
}

describe('LogsStore', () => {
  let store: LogsStore;
  let socket: FakeSocket;
  let http: HttpTestingController;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        ...fake.providers,
        SocketService,
        LogsStore,
      ],
    });
    store = TestBed.inject(LogsStore);
    socket = fake.sockets[0];
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    jest.useRealTimers();
    http.verify();
  });

  it('loads the last hour page by page', async () => {
    const loading = store.load(NOW);
    const first = http.expectOne((r) => r.url === '/api/logs' && !r.params.has('before'));
    expect(first.request.params.get('since')).toBe(new Date(NOW - 3_600_000).toISOString());
    first.flush({ items: [log(5), log(4)], nextCursor: 4 });
    await Promise.resolve();
    await Promise.resolve();
    const second = http.expectOne((r) => r.url === '/api/logs' && r.params.get('before') === '4');
    second.flush({ items: [log(3)], nextCursor: null });
    await loading;
    expect(store.rows().map((l) => l.id)).toEqual([5, 4, 3]);
  });

  it('batches live logs into one update and keeps newest first without duplicates', () => {
    socket.serverEmit('log:new', log(1));
    socket.serverEmit('log:new', log(3));
    socket.serverEmit('log:new', log(2));
    socket.serverEmit('log:new', log(3));
    expect(store.rows()).toEqual([]);
    jest.advanceTimersByTime(200);
    expect(store.rows().map((l) => l.id)).toEqual([3, 2, 1]);
  });

  it('filters by level, agent and text', () => {
    [
      log(1, 'INFO', 7, 'backup done'),
      log(2, 'ERROR', 7, 'disk full'),
      log(3, 'ERROR', 8, 'Disk check'),
      log(4, 'WARNING', 8, 'slow'),
    ].forEach((l) => store.enqueue(l));
    store.flush(NOW);
    store.toggleLevel('INFO');
    store.toggleLevel('WARNING');
    expect(store.filtered().map((l) => l.id)).toEqual([3, 2]);
    store.filters.update((f) => ({ ...f, agentId: 8 }));
    expect(store.filtered().map((l) => l.id)).toEqual([3]);
    store.filters.update((f) => ({ ...f, agentId: null, text: 'DISK F' }));
    expect(store.filtered().map((l) => l.id)).toEqual([2]);
  });

  it('holds new rows while paused and merges them on resume; the chart keeps counting', () => {
    store.enqueue(log(1, 'ERROR'));
    store.flush(NOW);
    store.togglePause();
    store.enqueue(log(2, 'ERROR'));
    store.enqueue(log(3, 'INFO'));
    store.flush(NOW);
    expect(store.rows().map((l) => l.id)).toEqual([1]);
    expect(store.heldCount()).toBe(2);
    const counted = [...store.buckets().values()].reduce((n, c) => n + c.ERROR + c.INFO, 0);
    expect(counted).toBe(3);
    store.togglePause();
    expect(store.rows().map((l) => l.id)).toEqual([3, 2, 1]);
    expect(store.heldCount()).toBe(0);
  });

  it('caps the buffer at MAX_ROWS, dropping the oldest', () => {
    for (let id = 1; id <= MAX_ROWS + 5; id++) store.enqueue(log(id));
    store.flush(NOW);
    expect(store.rows()).toHaveLength(MAX_ROWS);
    expect(store.rows()[0].id).toBe(MAX_ROWS + 5);
    expect(store.rows()[MAX_ROWS - 1].id).toBe(6);
  });

  it('catches up after a reconnect with after=<newest id>, without duplicates', async () => {
    const loading = store.load(NOW);
    http.expectOne((r) => r.url === '/api/logs').flush({ items: [log(39)], nextCursor: null });
    await loading;
    store.enqueue(log(40));
    store.flush(NOW);
    socket.fire('connect');
    socket.fire('disconnect', 'transport close');
    socket.fire('connect');
    const req = http.expectOne((r) => r.url === '/api/logs');
    expect(req.request.params.get('after')).toBe('40');
    req.flush({ items: [log(40), log(41), log(42)], nextCursor: null });
    await new Promise((r) => queueMicrotask(() => r(null)));
    await Promise.resolve();
    expect(store.rows().map((l) => l.id)).toEqual([42, 41, 40, 39]);
  });

  it('on sync:hint catches up from the last unbroken id, so a log whose push was lost is not hidden by a later one', async () => {
    const loading = store.load(NOW);
    http.expectOne((r) => r.url === '/api/logs').flush({ items: [log(60)], nextCursor: null });
    await loading;
    store.enqueue(log(61)); // unbroken: the cursor moves to 61
    store.enqueue(log(63)); // 62 was lost with its node: the cursor stays at 61
    store.flush(NOW);
    socket.fire('connect');
    socket.serverEmit('sync:hint', { reason: 'peer' });
    const req = http.expectOne((r) => r.url === '/api/logs');
    expect(req.request.params.get('after')).toBe('61');
    req.flush({ items: [log(62), log(63)], nextCursor: null });
    await new Promise((r) => queueMicrotask(() => r(null)));
    await Promise.resolve();
    expect(store.rows().map((l) => l.id)).toEqual([63, 62, 61, 60]);
  });

  it('redoes a first load that the outage cut short, and clears its error', async () => {
    const loading = store.load(NOW);
    http.expectOne((r) => r.url === '/api/logs').flush({ items: [log(50), log(49)], nextCursor: 49 });
    await Promise.resolve();
    await Promise.resolve();
    http.expectOne((r) => r.url === '/api/logs' && r.params.get('before') === '49').error(new ProgressEvent('error'));
    await loading;
    expect(store.error()?.code).toBe('UNAVAILABLE');
    socket.fire('connect');
    socket.fire('disconnect', 'transport close');
    socket.fire('connect');
    const again = http.expectOne((r) => r.url === '/api/logs');
    expect(again.request.params.has('after')).toBe(false);
    expect(again.request.params.has('since')).toBe(true);
    again.flush({ items: [log(51), log(50), log(49), log(48)], nextCursor: null });
    await new Promise((r) => queueMicrotask(() => r(null)));
    await Promise.resolve();
    expect(store.error()).toBeNull();
    expect(store.rows().map((l) => l.id)).toEqual([51, 50, 49, 48]);
  });
});
