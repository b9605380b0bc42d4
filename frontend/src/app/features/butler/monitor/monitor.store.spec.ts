import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MonitorEventDto } from '@echocenter/contracts';
import { provideFakeSocket } from '../../../../testing/fake-socket';
import { provideSession } from '../../../../testing/test-session';
import { SocketService } from '../../../core/realtime/socket.service';
import { MonitorStore } from './monitor.store';

let nextId = 1;
function ev(commandId: number, direction: MonitorEventDto['direction'], text: string): MonitorEventDto {
  return { id: nextId++, agentId: 7, direction, commandId, text, createdAt: '2026-01-01T00:00:00Z' } as MonitorEventDto;
}

describe('MonitorStore: Cancel for queued and running commands', () => {
  let store: MonitorStore;
  let http: HttpTestingController;

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
        MonitorStore,
      ],
    });
    store = TestBed.inject(MonitorStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('offers Cancel on the first line of a command still queued or running, not on ended ones', () => {
    const queued = ev(1, 'TO_AGENT', 'queued: waiting for A to come online');
    const running = ev(2, 'TO_AGENT', 'run: get_status');
    const done = ev(3, 'TO_AGENT', 'run: echo');
    const cancelled = ev(4, 'TO_AGENT', 'queued: waiting');
    for (const e of [
      queued,
      running,
      ev(2, 'FROM_AGENT', 'progress: half way'),
      done,
      ev(3, 'FROM_AGENT', 'result: ok'),
      cancelled,
      ev(4, 'TO_AGENT', 'cancel: no'),
    ])
      store.ingest(e);
    expect([...store.openCommands().entries()]).toEqual([
      [1, queued.id],
      [2, running.id],
    ]);
  });

  it('cancels through the API', async () => {
    const done = store.cancel(5);
    const req = http.expectOne('/api/commands/5/cancel');
    expect(req.request.method).toBe('POST');
    req.flush({ id: 5, status: 'CANCELLED' });
    await done;
    expect(store.cancelError()).toBeNull();
    expect(store.cancelling().size).toBe(0);
  });
});
