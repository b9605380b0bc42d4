import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApprovalDto, HumanRole } from '@echocenter/contracts';
import { approvalDto } from '../../../testing/approvals';
import { provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { ClockService } from '../../core/clock.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { CommandOutputStore } from '../../core/data/command-output.store';
import { SocketService } from '../../core/realtime/socket.service';
import { ApprovalRow } from './approval-row';
import { InboxStore } from './inbox.store';

const NOW = Date.parse('2026-01-01T10:00:00Z');

describe('ApprovalRow', () => {
  let http: HttpTestingController;

  function render(a: Partial<ApprovalDto>, role: HumanRole = 'ADMIN') {
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
        CommandOutputStore,
        { provide: ClockService, useValue: { now: () => NOW } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ApprovalRow);
    fixture.componentRef.setInput(
      'approval',
      approvalDto({ policy: 'NEEDS_APPROVAL', expiresAt: '2026-01-01T10:04:05Z', requestedBy: 4, ...a }),
    );
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, el, q, fake };
  }

  afterEach(() => http.verify());

  it('shows bidi and control characters of the command as visible markers, with a warning', () => {
    const { q } = render({
      command: 'get_file a\u202Etxt.exe\tx',
      proposedCommand: 'get_file a\u202Etxt.exe\tx',
      status: 'REJECTED',
      conversationId: null,
    });
    expect(q('inbox-command')?.textContent).toBe('get_file a⟨U+202E⟩txt.exe⟨TAB⟩x');
    expect(q('inbox-command')?.querySelectorAll('mark')).toHaveLength(2);
    expect(q('inbox-hidden-warning')).not.toBeNull();
  });

  it('streams a running command’s output live to the admin who approved it', () => {
    const { fixture, q, fake } = render({ status: 'RUNNING', commandId: 31, conversationId: null });
    expect(q('inbox-live-output')).toBeNull();
    fake.sockets[0]!.serverEmit('command:progress', { commandId: 31, text: '[web-1] hello', agentId: 4 });
    fake.sockets[0]!.serverEmit('command:progress', { commandId: 99, text: 'not ours', agentId: 4 });
    fixture.detectChanges();
    expect(q('inbox-live-output')?.textContent).toBe('[web-1] hello');
  });

  it('shows the nodes an ops approval covers, fixed when it was requested', () => {
    const { q } = render({
      command: 'run tag:web uptime',
      agentName: 'ops-runner',
      targets: ['web-1', 'web-2'],
      status: 'REJECTED',
      conversationId: null,
    });
    expect(q('inbox-targets')?.textContent?.trim()).toBe('web-1, web-2');
  });

  it('a waiting request shows its policy, time left and conversation; an admin gets the actions', () => {
    const { q, fixture } = render({ id: 3, policy: 'DESTRUCTIVE' });
    http.expectOne('/api/approvals/3/context').flush({
      approvalId: 3,
      messages: [
        {
          id: 1,
          conversationId: 5,
          senderId: 4,
          senderName: 'mia',
          senderKind: 'MEMBER',
          targetId: 2,
          text: 'wipe the\u202E cache\nnow',
          createdAt: '2026-01-01T09:59:00Z',
        },
      ],
    });
    fixture.detectChanges();
    expect(q('inbox-policy')?.getAttribute('data-policy')).toBe('DESTRUCTIVE');
    expect(q('inbox-time-left')?.textContent).toContain('4:05');
    // Thread text is shown with its line breaks, and with a bidi override marked rather than obeyed.
    expect(q('inbox-context-message')?.textContent).toContain('wipe the⟨U+202E⟩ cache\nnow');
    expect(q('inbox-approve')).not.toBeNull();
    expect(q('inbox-hidden-warning')).toBeNull();
    // A destructive command is never covered by an allow-rule.
    expect(q('inbox-always')).toBeNull();
  });

  it('"always allow" with the defaults sends no rule: the narrow default, the exact command', async () => {
    const { q, fixture } = render({ id: 3, command: 'restart web-1', conversationId: null });
    q('inbox-always')!.click();
    fixture.detectChanges();
    q('inbox-always-confirm')!.click();
    const req = http.expectOne('/api/approvals/3/decision');
    expect(req.request.body).toEqual({ approved: true, remember: 'always' });
    req.flush(approvalDto({ id: 3, status: 'RUNNING', policy: 'NEEDS_APPROVAL' }));
    await fixture.whenStable();
  });

  it('"always allow" widened to a pattern, one requester and 7 days sends that rule', async () => {
    const { q, fixture } = render({ id: 3, command: 'restart web-1', conversationId: null });
    q('inbox-always')!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const type = (id: string, value: string) => {
      const input = q(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('inbox-rule-pattern', 'restart web-*');
    type('inbox-rule-days', '7');
    q('inbox-rule-requester')!.click();
    q('inbox-always-confirm')!.click();
    const req = http.expectOne('/api/approvals/3/decision');
    expect(req.request.body).toEqual({
      approved: true,
      remember: 'always',
      rule: { pattern: 'restart web-*', requesterId: 4, expiresInDays: 7 },
    });
    req.flush(approvalDto({ id: 3, status: 'RUNNING', policy: 'NEEDS_APPROVAL' }));
    await fixture.whenStable();
  });

  it('edit then approve sends the edited command and previews hidden characters in it', async () => {
    const { q, fixture } = render({ id: 3, command: 'clean /tmp', conversationId: null });
    q('inbox-edit')!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const input = q('inbox-edit-input') as HTMLTextAreaElement;
    input.value = 'clean /tmp\u200B --dry-run';
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    expect(q('inbox-edit-preview')?.textContent).toBe('clean /tmp⟨U+200B⟩ --dry-run');
    q('inbox-approve-edited')!.click();
    const req = http.expectOne('/api/approvals/3/decision');
    expect(req.request.body).toEqual({ approved: true, command: 'clean /tmp\u200B --dry-run' });
    req.flush(approvalDto({ id: 3, status: 'RUNNING', policy: 'NEEDS_APPROVAL' }));
    await fixture.whenStable();
  });

  it('shows who decided first when a decision loses', async () => {
    const { q, fixture } = render({ id: 3, conversationId: null });
    q('inbox-reject')!.click();
    fixture.detectChanges();
    const reason = q('inbox-reject-reason') as HTMLInputElement;
    reason.value = 'not now';
    reason.dispatchEvent(new Event('input'));
    q('inbox-reject-confirm')!.click();
    const req = http.expectOne('/api/approvals/3/decision');
    expect(req.request.body).toEqual({ approved: false, reason: 'not now' });
    req.flush(
      { statusCode: 409, code: 'CONFLICT', message: 'Approval #3 is already APPROVED (decided by bob)' },
      { status: 409, statusText: 'Conflict' },
    );
    await Promise.resolve();
    http
      .expectOne('/api/approvals/3')
      .flush(approvalDto({ id: 3, status: 'SUCCEEDED', decidedByName: 'bob', policy: 'NEEDS_APPROVAL' }));
    await fixture.whenStable();
    fixture.detectChanges();
    expect(q('inbox-conflict')?.textContent).toContain('Already decided by bob: Succeeded.');
  });

  it('renders a JSON result as the chat and the approval card do: a key/value table, not one flat line', () => {
    const { q } = render({
      id: 8,
      status: 'SUCCEEDED',
      conversationId: null,
      result: '{"freedBytes": 2147483648, "files": 42}',
      outcome: { kind: 'output', detail: null },
    });
    const result = q('inbox-result')!;
    const cells = [...result.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(cells).toEqual([
      ['freedBytes', '2 GiB'],
      ['files', '42'],
    ]);
    expect(result.querySelector('pre')).toBeNull();
  });

  it('in 中文 says how a command ended in Chinese; the agent’s error stays as written, hidden characters marked', () => {
    const { q, fixture } = render({
      id: 9,
      status: 'FAILED',
      conversationId: null,
      result: 'failed: disk\u202E is read-only',
      outcome: { kind: 'failed', detail: 'disk\u202E is read-only' },
    });
    TestBed.inject(I18nService).setLang('zh-CN');
    fixture.detectChanges();
    expect(q('inbox-result')?.textContent).toBe('失败：disk⟨U+202E⟩ is read-only');
    expect(q('inbox-result')?.querySelectorAll('mark')).toHaveLength(1);
  });

  it('a member sees their own request read-only', () => {
    const { q } = render({ id: 3, conversationId: null, requestedBy: 1 }, 'MEMBER');
    expect(q('inbox-approve')).toBeNull();
    expect(q('inbox-read-only')).not.toBeNull();
    expect(q('inbox-requester')?.textContent).toContain('alice');
  });
  it('says a request came through a personal access token: its name when it is the viewer’s own, else its id (en, 中文)', () => {
    const own = render({ id: 21, conversationId: null, requestedViaTokenId: 9 });
    http.expectOne('/api/access-tokens').flush([
      {
        id: 9,
        name: 'Claude Code',
        scope: 'operate',
        hint: 'ecp_…abcd',
        createdAt: '',
        lastUsedAt: null,
        expiresAt: null,
      },
    ]);
    own.fixture.detectChanges();
    expect(own.q('via-token')?.textContent?.trim()).toBe('via token “Claude Code”');
    expect(own.q('inbox-requester')?.textContent).toContain('via token');
    TestBed.inject(I18nService).setLang('zh-CN');
    own.fixture.detectChanges();
    expect(own.q('via-token')?.textContent?.trim()).toBe('经由令牌 “Claude Code”');
  });

  it('shows someone else’s (or a revoked) token by id, and nothing for a console request', () => {
    const other = render({ id: 22, conversationId: null, requestedViaTokenId: 12 });
    http.expectOne('/api/access-tokens').flush([]);
    other.fixture.detectChanges();
    expect(other.q('via-token')?.textContent?.trim()).toBe('via token #12');
    TestBed.resetTestingModule();
    // A console request names no token and reads no token list (http.verify in afterEach).
    const session = render({ id: 23, conversationId: null, requestedViaTokenId: null });
    expect(session.q('via-token')).toBeNull();
  });
});
