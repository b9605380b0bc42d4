import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { AgentCommandDto } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../../core/realtime/socket.service';
import { WaitingCommands } from './waiting-commands';

const queued = (o: Partial<AgentCommandDto> = {}): AgentCommandDto => ({
  id: 31,
  agentId: 4,
  command: 'get_status',
  args: null,
  status: 'QUEUED',
  result: null,
  error: null,
  deadline: '2026-01-01T11:00:00Z',
  createdAt: '2026-01-01T10:00:00Z',
  finishedAt: null,
  ...o,
});

describe('WaitingCommands (a member cancels their queued read-only command from the thread)', () => {
  let fixture: ComponentFixture<WaitingCommands>;
  let http: HttpTestingController;
  let socket: FakeSocket;
  const q = (id: string) =>
    (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>(`[data-testid="${id}"]`);

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession('MEMBER').providers,
        ...fake.providers,
        SocketService,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(SocketService);
    socket = fake.sockets[0]!;
    fixture = TestBed.createComponent(WaitingCommands);
    fixture.componentRef.setInput('conversationId', 5);
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  const flushWaiting = async (items: AgentCommandDto[]) => {
    http.expectOne('/api/commands/waiting?conversationId=5').flush(items);
    await fixture.whenStable();
    fixture.detectChanges();
  };

  it('shows the queued command with Cancel; Cancel posts to /api/commands/:id/cancel and the row goes', async () => {
    await flushWaiting([queued({ id: 31, command: 'get_status', args: 'disk' })]);
    expect(q('waiting-command')).toHaveLength(1);
    expect(q('waiting-command')[0]!.textContent).toContain('get_status disk');
    q('waiting-cancel')[0]!.click();
    const cancel = http.expectOne('/api/commands/31/cancel');
    expect(cancel.request.method).toBe('POST');
    cancel.flush(queued({ id: 31, status: 'CANCELLED' }));
    await fixture.whenStable();
    fixture.detectChanges();
    expect(q('waiting-commands')).toHaveLength(0);
  });

  it('shows nothing when nothing waits, looks again when the thread hears from the Butler, and says when a cancel fails', async () => {
    await flushWaiting([]);
    expect(q('waiting-commands')).toHaveLength(0);
    socket.serverEmit('chat:message', {
      id: 9,
      conversationId: 6,
      senderId: 2,
      senderName: 'Butler',
      senderKind: 'BUTLER',
      targetId: 1,
      text: 'other thread',
      createdAt: '2026-01-01T10:00:00Z',
    });
    http.expectNone('/api/commands/waiting?conversationId=5');
    socket.serverEmit('chat:message', {
      id: 10,
      conversationId: 5,
      senderId: 2,
      senderName: 'Butler',
      senderKind: 'BUTLER',
      targetId: 1,
      text: 'queued',
      createdAt: '2026-01-01T10:00:00Z',
    });
    await flushWaiting([queued({ id: 32 })]);
    q('waiting-cancel')[0]!.click();
    http
      .expectOne('/api/commands/32/cancel')
      .flush({ code: 'CONFLICT', message: 'Command #32 already ended' }, { status: 409, statusText: 'Conflict' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(q('waiting-cancel-error')[0]!.textContent).toContain('already ended');
    expect(q('waiting-command')).toHaveLength(1);
  });
});
