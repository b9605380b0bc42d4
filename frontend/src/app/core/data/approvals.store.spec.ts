import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApprovalRequestedEvent } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../realtime/socket.service';
import { ApprovalsStore } from './approvals.store';
import { approvalDto } from '../../../testing/approvals';

const requested: ApprovalRequestedEvent = {
  id: 3, conversationId: 5, requestedBy: 1, agentId: 7, agentName: 'storage-custodian', command: 'cleanup /tmp',
  reasoning: 'disk is full', policy: 'NEEDS_APPROVAL', targets: null, status: 'PENDING', createdAt: '2026-01-01T10:00:00Z', expiresAt: '2026-01-01T10:05:00Z',
};

describe('ApprovalsStore', () => {
  let store: ApprovalsStore;
  let socket: FakeSocket;
  let http: HttpTestingController;

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]), provideHttpClient(), provideHttpClientTesting(),
        ...provideSession().providers, ...fake.providers, SocketService, ApprovalsStore,
      ],
    });
    store = TestBed.inject(ApprovalsStore);
    socket = fake.sockets[0];
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('counts a requested approval as pending until it is decided', () => {
    socket.serverEmit('approval:requested', requested);
    expect(store.pendingCount()).toBe(1);
    expect(store.get(3)).toEqual(expect.objectContaining({ proposedCommand: 'cleanup /tmp', result: null }));
    socket.serverEmit('approval:updated', { id: 3, status: 'APPROVED', decidedBy: 1, decidedAt: '2026-01-01T10:01:00Z' });
    expect(store.pendingCount()).toBe(0);
  });

  it('follows APPROVED → RUNNING → SUCCEEDED and keeps the result', () => {
    socket.serverEmit('approval:requested', requested);
    socket.serverEmit('approval:updated', { id: 3, status: 'APPROVED' });
    socket.serverEmit('approval:updated', { id: 3, status: 'RUNNING' });
    expect(store.get(3)?.status).toBe('RUNNING');
    socket.serverEmit('approval:updated', { id: 3, status: 'SUCCEEDED', result: 'freed 2 GB' });
    expect(store.get(3)).toEqual(expect.objectContaining({ status: 'SUCCEEDED', result: 'freed 2 GB' }));
  });

  it('ignores a late event that would move a finished approval backwards', () => {
    socket.serverEmit('approval:requested', requested);
    socket.serverEmit('approval:updated', { id: 3, status: 'FAILED', result: 'boom' });
    socket.serverEmit('approval:updated', { id: 3, status: 'RUNNING' });
    socket.serverEmit('approval:requested', requested);
    expect(store.get(3)).toEqual(expect.objectContaining({ status: 'FAILED', result: 'boom' }));
  });

  it('marks an approval the server says is about to expire', () => {
    socket.serverEmit('approval:requested', requested);
    socket.serverEmit('approval:expiring', { id: 3, expiresAt: '2026-01-01T10:04:00Z' });
    expect(store.get(3)).toEqual(expect.objectContaining({ expiring: true, expiresAt: '2026-01-01T10:04:00Z' }));
  });

  it('fetches an approval it has never seen when an update for it arrives', () => {
    socket.serverEmit('approval:updated', { id: 11, status: 'RUNNING' });
    http.expectOne('/api/approvals/11').flush(approvalDto({ id: 11, status: 'RUNNING' }));
    expect(store.get(11)?.status).toBe('RUNNING');
  });

  it('accepts both a plain array and a page from GET /api/approvals', () => {
    store.load();
    http.expectOne((r) => r.url === '/api/approvals').flush({ items: [approvalDto({ id: 1 }), approvalDto({ id: 2, status: 'REJECTED' })], nextCursor: null });
    expect(store.all().map((a) => a.id)).toEqual([1, 2]);
    expect(store.pendingCount()).toBe(1);
  });
});
