import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApprovalDto, ApprovalRequestedEvent, HumanRole } from '@echocenter/contracts';
import { approvalDto } from '../../../testing/approvals';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { ApprovalsStore } from '../../core/data/approvals.store';
import { SocketService } from '../../core/realtime/socket.service';
import { InboxStore } from './inbox.store';

const approval = (o: Partial<ApprovalDto>): ApprovalDto => approvalDto({ policy: 'NEEDS_APPROVAL', ...o });
const page = (items: ApprovalDto[], nextCursor: number | null = null) => ({ items, nextCursor });
const requested = (o: Partial<ApprovalRequestedEvent>): ApprovalRequestedEvent => ({
  id: 20,
  conversationId: 5,
  requestedBy: 4,
  agentId: 7,
  agentName: 'storage-custodian',
  command: 'cleanup /var',
  reasoning: 'disk is full',
  policy: 'NEEDS_APPROVAL',
  targets: null,
  status: 'PENDING',
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: '2026-01-01T10:09:00Z',
  ...o,
});

describe('InboxStore', () => {
  let store: InboxStore;
  let http: HttpTestingController;
  let socket: FakeSocket;
  // The shell's store behind the nav badge; only what the inbox tells it matters here.
  let badge: { upsert: jest.Mock };

  function setup(role: HumanRole = 'ADMIN') {
    badge = { upsert: jest.fn() };
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession(role).providers,
        ...fake.providers,
        SocketService,
        InboxStore,
        { provide: ApprovalsStore, useValue: badge },
      ],
    });
    store = TestBed.inject(InboxStore);
    http = TestBed.inject(HttpTestingController);
    socket = fake.sockets[0];
  }
  const listRequest = () => http.expectOne((r) => r.url === '/api/approvals');
  const ids = () => store.rows().map((a) => a.id);

  afterEach(() => http.verify());

  it('lists waiting requests first, the soonest to expire on top, then the rest newest first', () => {
    setup();
    store.load();
    listRequest().flush(
      page([
        approval({ id: 1, status: 'SUCCEEDED' }),
        approval({ id: 2, status: 'PENDING', expiresAt: '2026-01-01T10:30:00Z' }),
        approval({ id: 3, status: 'REJECTED' }),
        approval({ id: 4, status: 'PENDING', expiresAt: '2026-01-01T10:10:00Z' }),
      ]),
    );
    expect(ids()).toEqual([4, 2, 3, 1]);
    expect(store.waitingCount()).toBe(2);
    expect(store.loading()).toBe(false);
  });

  it('sends the filters as query parameters, and only the newest query’s answer counts', () => {
    setup();
    store.load();
    const first = listRequest();
    store.setFilters({ status: 'PENDING', agentId: 7, requestedBy: 4 });
    expect(first.cancelled).toBe(true);
    const second = listRequest();
    expect(second.request.params.get('status')).toBe('PENDING');
    expect(second.request.params.get('agentId')).toBe('7');
    expect(second.request.params.get('requestedBy')).toBe('4');
    second.flush(page([approval({ id: 9, agentId: 7, requestedBy: 4 })], 9));
    expect(ids()).toEqual([9]);
    expect(store.hasOlder()).toBe(true);

    store.loadOlder();
    const older = listRequest();
    expect(older.request.params.get('before')).toBe('9');
    older.flush(page([approval({ id: 8, agentId: 7, requestedBy: 4 })]));
    expect(ids()).toEqual([8, 9]);
    expect(store.hasOlder()).toBe(false);
  });

  it('shows only what matches the filters, also for pushed requests', () => {
    setup();
    store.setFilters({ status: 'PENDING', agentId: 7 });
    listRequest().flush(page([]));
    socket.serverEmit('approval:requested', requested({ id: 20 }));
    socket.serverEmit('approval:requested', requested({ id: 21, agentId: 8, agentName: 'echo-bot' }));
    expect(ids()).toEqual([20]);
    // Decided elsewhere: it leaves the "waiting" view at once.
    socket.serverEmit('approval:updated', {
      id: 20,
      status: 'APPROVED',
      approval: approval({ id: 20, status: 'APPROVED', decidedByName: 'bob' }),
    });
    expect(ids()).toEqual([]);
    store.setFilters({ status: 'ALL', agentId: null });
    listRequest().flush(page([]));
    expect(ids()).toEqual([21, 20]);
    expect(store.get(20)).toMatchObject({ status: 'APPROVED', decidedByName: 'bob' });
  });

  it('keeps the latest status whatever order pushes and answers arrive in; warns before expiry', () => {
    setup();
    store.load();
    socket.serverEmit('approval:requested', requested({ id: 20 }));
    socket.serverEmit('approval:expiring', { id: 20, expiresAt: '2026-01-01T10:08:00Z' });
    expect(store.get(20)).toMatchObject({ expiring: true, expiresAt: '2026-01-01T10:08:00Z' });
    socket.serverEmit('approval:updated', { id: 20, status: 'SUCCEEDED', result: 'freed 2 GB' });
    socket.serverEmit('approval:updated', { id: 20, status: 'RUNNING' });
    // The list answer was built before the command finished.
    listRequest().flush(page([approval({ id: 20, status: 'PENDING' })]));
    expect(store.get(20)).toMatchObject({ status: 'SUCCEEDED', result: 'freed 2 GB', expiring: false });
  });

  it('fetches an approval it has never seen when an update without its body arrives', () => {
    setup();
    socket.serverEmit('approval:updated', { id: 11, status: 'RUNNING' });
    http.expectOne('/api/approvals/11').flush(approval({ id: 11, status: 'RUNNING' }));
    expect(ids()).toEqual([11]);
  });

  it('reloads after a reconnect', () => {
    setup();
    socket.fire('connect');
    socket.fire('connect');
    listRequest().flush(page([approval({ id: 5 })]));
    expect(ids()).toEqual([5]);
  });

  it('decides through POST and shows the answer', async () => {
    setup();
    socket.serverEmit('approval:requested', requested({ id: 20 }));
    const done = store.decide(20, { approved: true, remember: 'always' });
    const req = http.expectOne('/api/approvals/20/decision');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ approved: true, remember: 'always' });
    req.flush(approval({ id: 20, status: 'RUNNING', decidedByName: 'alice' }));
    await expect(done).resolves.toMatchObject({ ok: true });
    expect(store.get(20)?.status).toBe('RUNNING');
  });

  it('a second decision: a 409 re-reads the approval and says who decided first', async () => {
    setup();
    socket.serverEmit('approval:requested', requested({ id: 20 }));
    const done = store.decide(20, { approved: false, reason: 'no' });
    http
      .expectOne('/api/approvals/20/decision')
      .flush(
        { statusCode: 409, code: 'CONFLICT', message: 'Approval #20 is already APPROVED (decided by bob)' },
        { status: 409, statusText: 'Conflict' },
      );
    await Promise.resolve();
    http.expectOne('/api/approvals/20').flush(approval({ id: 20, status: 'RUNNING', decidedByName: 'bob' }));
    await expect(done).resolves.toEqual({
      ok: false,
      conflict: true,
      decidedByName: 'bob',
      status: 'RUNNING',
      message: 'Approval #20 is already APPROVED (decided by bob)',
    });
    expect(store.get(20)).toMatchObject({ status: 'RUNNING', decidedByName: 'bob' });
    // The nav badge learns it too, even if this tab missed the push.
    expect(badge.upsert).toHaveBeenCalledWith(
      expect.objectContaining({ id: 20, status: 'RUNNING', decidedByName: 'bob' }),
    );
  });

  it('a 409 still names the first decider from its message when the approval cannot be re-read', async () => {
    setup();
    const done = store.decide(20, { approved: true });
    http
      .expectOne('/api/approvals/20/decision')
      .flush(
        { statusCode: 409, code: 'CONFLICT', message: 'Approval #20 is already REJECTED (decided by ann lee)' },
        { status: 409, statusText: 'Conflict' },
      );
    await Promise.resolve();
    http.expectOne('/api/approvals/20').flush(null, { status: 0, statusText: 'Unknown Error' });
    await expect(done).resolves.toMatchObject({ ok: false, conflict: true, decidedByName: 'ann lee', status: null });
  });

  it('any other failure is reported as an error, not a conflict', async () => {
    setup();
    const done = store.decide(20, { approved: true });
    http
      .expectOne('/api/approvals/20/decision')
      .flush({ statusCode: 403, code: 'FORBIDDEN', message: 'nope' }, { status: 403, statusText: 'Forbidden' });
    await expect(done).resolves.toMatchObject({
      ok: false,
      conflict: false,
      error: { code: 'FORBIDDEN', message: 'nope' },
    });
  });

  it('loads an approval’s thread context once, and again only after a failure', () => {
    setup();
    store.loadContext(20);
    expect(store.context(20)).toEqual({ state: 'loading' });
    store.loadContext(20);
    http.expectOne('/api/approvals/20/context').flush(null, { status: 500, statusText: 'boom' });
    expect(store.context(20)).toEqual({ state: 'failed' });
    store.loadContext(20);
    const message = {
      id: 1,
      conversationId: 5,
      senderId: 4,
      senderName: 'mia',
      senderKind: 'MEMBER' as const,
      targetId: 2,
      text: 'clean up',
      createdAt: '2026-01-01T10:00:00Z',
    };
    http.expectOne('/api/approvals/20/context').flush({ approvalId: 20, messages: [message] });
    expect(store.context(20)).toEqual({ state: 'ready', messages: [message] });
    store.loadContext(20);
    http.expectNone('/api/approvals/20/context');

    // A refresh keeps what is shown until the new answer is in.
    store.loadContext(20, true);
    expect(store.context(20)).toEqual({ state: 'ready', messages: [message] });
    const reply = {
      ...message,
      id: 2,
      senderId: 2,
      senderName: 'Butler',
      senderKind: 'BUTLER' as const,
      text: 'APPROVAL_REQUIRED',
    };
    http.expectOne('/api/approvals/20/context').flush({ approvalId: 20, messages: [message, reply] });
    expect(store.context(20)).toEqual({ state: 'ready', messages: [message, reply] });
    store.loadContext(20, true);
    http.expectOne('/api/approvals/20/context').flush(null, { status: 503, statusText: 'down' });
    expect(store.context(20)).toEqual({ state: 'ready', messages: [message, reply] });
  });

  it('names requesters: an admin reads the users list; a member knows only their own name', () => {
    setup('ADMIN');
    store.loadUsers();
    http.expectOne('/api/users').flush([
      { id: 1, username: 'alice', role: 'ADMIN', disabled: false, createdAt: '', lastSeenAt: null },
      { id: 4, username: 'mia', role: 'MEMBER', disabled: false, createdAt: '', lastSeenAt: null },
    ]);
    expect(store.userName(4)).toBe('mia');
    expect(store.userName(99)).toBe('#99');
    expect(store.users().map((u) => u.name)).toEqual(['alice', 'mia']);
  });

  it('a member never asks for the users list', () => {
    setup('MEMBER');
    store.loadUsers();
    http.expectNone('/api/users');
    expect(store.userName(1)).toBe('alice');
  });
});
