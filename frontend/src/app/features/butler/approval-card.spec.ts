import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApprovalDto } from '@echocenter/contracts';
import { approvalDto } from '../../../testing/approvals';
import { provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { ClockService } from '../../core/clock.service';
import { CommandOutputStore } from '../../core/data/command-output.store';
import { ButlerStore } from '../../core/data/butler.store';
import { ApprovalsStore } from '../../core/data/approvals.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { SocketService } from '../../core/realtime/socket.service';
import { ApprovalCard } from './approval-card';

const NOW = Date.parse('2026-01-01T10:03:00Z');

describe('ApprovalCard', () => {
  let fixture: ComponentFixture<ApprovalCard>;
  let http: HttpTestingController;
  let store: ApprovalsStore;
  const now = signal(NOW);

  function render(a: Partial<ApprovalDto>) {
    const approval = approvalDto(a);
    store.upsert(approval);
    fixture = TestBed.createComponent(ApprovalCard);
    fixture.componentRef.setInput('approval', store.get(approval.id));
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }
  const q = (el: HTMLElement, id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  let fakeSocket: ReturnType<typeof provideFakeSocket>;

  beforeEach(() => {
    now.set(NOW);
    fakeSocket = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        fakeSocket.providers,
        SocketService,
        ApprovalsStore,
        ButlerStore,
        CommandOutputStore,
        { provide: ClockService, useValue: { now } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(ApprovalsStore);
  });

  afterEach(() => http.verify());

  it('streams a running command’s output live and lets the admin cancel it', () => {
    const el = render({
      status: 'RUNNING',
      commandId: 31,
      decidedByName: 'admin',
      decidedAt: new Date(NOW).toISOString(),
    });
    expect(q(el, 'approval-live-output')).toBeNull();
    fakeSocket.sockets[0]!.serverEmit('command:progress', { commandId: 31, text: '[web-1] hello', agentId: 4 });
    fakeSocket.sockets[0]!.serverEmit('command:progress', { commandId: 99, text: 'not ours', agentId: 4 });
    fixture.detectChanges();
    expect(q(el, 'approval-live-output')?.textContent).toBe('[web-1] hello');
    q(el, 'approval-cancel')!.click();
    const req = http.expectOne('/api/commands/31/cancel');
    expect(req.request.method).toBe('POST');
    req.flush({});
  });

  it('shows the nodes an ops approval covers, fixed when it was requested (none when the tag matched none)', () => {
    const el = render({ id: 41, agentName: 'ops-runner', command: 'run tag:web uptime', targets: ['web-1', 'web-2'] });
    expect(q(el, 'approval-targets')?.textContent?.trim()).toBe('web-1, web-2');
    const none = render({ id: 42, agentName: 'ops-runner', command: 'run tag:nothing uptime', targets: [] });
    expect(q(none, 'approval-targets')?.textContent).toContain('no node matched');
    expect(q(render({ id: 43, targets: null }), 'approval-targets')).toBeNull();
  });

  it('shows a pending request with command, agent, reasoning and a live countdown', () => {
    const el = render({});
    expect(q(el, 'approval-status')?.textContent).toContain('Waiting');
    expect(q(el, 'approval-command')?.textContent).toBe('cleanup /tmp');
    expect(q(el, 'approval-agent')?.textContent).toBe('storage-custodian');
    expect(el.textContent).toContain('disk is 97% full');
    expect(q(el, 'approval-countdown')?.textContent).toContain('2:00');
    now.set(NOW + 61_000);
    fixture.detectChanges();
    expect(q(el, 'approval-countdown')?.textContent).toContain('0:59');
    expect(q(el, 'approval-countdown')?.classList).not.toContain('urgent');
    now.set(NOW + 100_000);
    fixture.detectChanges();
    expect(q(el, 'approval-countdown')?.classList).toContain('urgent');
  });

  it('approves an edited command with reason and remember, then shows the new status', async () => {
    const el = render({});
    q(el, 'approval-edit')!.click();
    fixture.detectChanges();
    const input = q(el, 'approval-command-input') as HTMLTextAreaElement;
    input.value = 'cleanup /tmp --dry-run';
    input.dispatchEvent(new Event('input'));
    const reason = q(el, 'approval-reason') as HTMLInputElement;
    reason.value = 'dry run first';
    reason.dispatchEvent(new Event('input'));
    (q(el, 'approval-remember') as HTMLInputElement).click();
    fixture.detectChanges();
    q(el, 'approval-approve')!.click();
    const req = http.expectOne('/api/approvals/1/decision');
    expect(req.request.body).toEqual({
      approved: true,
      command: 'cleanup /tmp --dry-run',
      reason: 'dry run first',
      remember: 'always',
    });
    req.flush(
      approvalDto({
        status: 'APPROVED',
        command: 'cleanup /tmp --dry-run',
        decidedByName: 'alice',
        decidedAt: '2026-01-01T10:03:00Z',
      }),
    );
    await fixture.whenStable();
    fixture.componentRef.setInput('approval', store.get(1));
    fixture.detectChanges();
    expect(q(el, 'approval-approve')).toBeNull();
    expect(q(el, 'approval-status')?.textContent).toContain('Approved');
    expect(q(el, 'approval-running')).not.toBeNull();
  });

  it('"always allow" sends the narrow default: no rule scope unless the admin changes it', async () => {
    const el = render({});
    (q(el, 'approval-remember') as HTMLInputElement).click();
    fixture.detectChanges();
    expect(q(el, 'rule-scope')?.textContent).toContain('Exactly this command · anyone · 30 days');
    expect((q(el, 'rule-pattern') as HTMLInputElement).placeholder).toBe('cleanup /tmp');
    q(el, 'approval-approve')!.click();
    const req = http.expectOne('/api/approvals/1/decision');
    expect(req.request.body).toEqual({ approved: true, remember: 'always' });
    req.flush(approvalDto({ status: 'APPROVED' }));
    await fixture.whenStable();
  });

  it('lets an admin widen the rule to a pattern, limit it to the requester and shorten its expiry', async () => {
    const el = render({ requestedBy: 9 });
    (q(el, 'approval-remember') as HTMLInputElement).click();
    fixture.detectChanges();
    const type = (id: string, value: string) => {
      const input = q(el, id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('rule-pattern', 'cleanup /tmp/*');
    (q(el, 'rule-requester-only') as HTMLInputElement).click();
    type('rule-days', '7');
    fixture.detectChanges();
    expect(q(el, 'rule-scope')?.querySelector('summary')?.textContent).toContain(
      'cleanup /tmp/* · this requester only · 7 days',
    );
    q(el, 'approval-approve')!.click();
    const req = http.expectOne('/api/approvals/1/decision');
    expect(req.request.body).toEqual({
      approved: true,
      remember: 'always',
      rule: { pattern: 'cleanup /tmp/*', requesterId: 9, expiresInDays: 7 },
    });
    req.flush(approvalDto({ status: 'APPROVED' }));
    await fixture.whenStable();
  });

  it('offers no "always allow" for a destructive command, and says why', () => {
    const el = render({ policy: 'DESTRUCTIVE' });
    expect(q(el, 'approval-remember')).toBeNull();
    expect(q(el, 'approval-destructive')?.textContent).toContain('asks for approval every time');
    expect(q(el, 'approval-approve')).not.toBeNull();
  });

  it.each([
    ['PENDING', 'Approval requested'],
    ['APPROVED', 'Command approved'],
    ['RUNNING', 'Command running'],
    ['SUCCEEDED', 'Command succeeded'],
    ['FAILED', 'Command failed'],
    ['REJECTED', 'Request rejected'],
    ['EXPIRED', 'Request expired'],
  ] as const)('titles a %s card "%s"', (status, heading) => {
    const el = render({ id: 40, status, decidedAt: status === 'PENDING' ? null : new Date(NOW).toISOString() });
    expect(q(el, 'approval-heading')?.textContent).toBe(heading);
  });

  it('says which allow-rule let a command run without asking', () => {
    const el = render({
      id: 41,
      status: 'SUCCEEDED',
      decisionChannel: 'RULE',
      decisionReason: 'allow-rule #3 (storage-custodian: cleanup /tmp)',
      decidedAt: new Date(NOW).toISOString(),
    });
    expect(q(el, 'approval-rule')?.textContent).toContain('allowed by allow-rule #3 (storage-custodian: cleanup /tmp)');
  });

  it('rejects without sending an edited command', async () => {
    const el = render({});
    q(el, 'approval-reject')!.click();
    const req = http.expectOne('/api/approvals/1/decision');
    expect(req.request.body).toEqual({ approved: false });
    req.flush(approvalDto({ status: 'REJECTED' }));
    await fixture.whenStable();
  });

  it('says so when someone else decided first (409 CONFLICT)', async () => {
    const el = render({});
    q(el, 'approval-approve')!.click();
    http
      .expectOne('/api/approvals/1/decision')
      .flush(
        { statusCode: 409, code: 'CONFLICT', message: 'already decided' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(q(el, 'approval-error')?.textContent).toContain('Someone else already decided');
  });

  it('offers no buttons once the deadline has passed', () => {
    now.set(Date.parse('2026-01-01T10:06:00Z'));
    const el = render({});
    expect(q(el, 'approval-approve')).toBeNull();
    expect(el.textContent).toContain('run out');
  });

  it.each([
    ['RUNNING', 'Running', false],
    ['SUCCEEDED', 'Succeeded', true],
    ['FAILED', 'Failed', true],
  ] as const)('shows %s with its result and no decision buttons', (status, label, hasResult) => {
    const el = render({
      status,
      result: hasResult ? 'exit 0: freed 2 GB' : null,
      decidedByName: 'bob',
      decidedAt: '2026-01-01T10:01:00Z',
    });
    expect(q(el, 'approval-status')?.textContent).toContain(label);
    expect(q(el, 'approval-approve')).toBeNull();
    expect(q(el, 'approval-reject')).toBeNull();
    expect(q(el, 'approval-result')?.textContent ?? null).toBe(hasResult ? 'exit 0: freed 2 GB' : null);
    expect(el.textContent).toContain('bob');
  });

  it('renders JSON output as the chat does: a key/value table for a flat object, a list for an array, indented code otherwise', () => {
    const flat = q(
      render({ id: 51, status: 'SUCCEEDED', result: '{"freeBytes": 83348234240, "mount": "/data", "ok": true}' }),
      'approval-result',
    )!;
    expect(flat.querySelector('pre')).toBeNull();
    const rows = [...flat.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['freeBytes', '77.6 GiB'],
      ['mount', '/data'],
      ['ok', 'true'],
    ]);
    const list = q(render({ id: 52, status: 'SUCCEEDED', result: '["web-1", "web-2"]' }), 'approval-result')!;
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['web-1', 'web-2']);
    const nested = q(
      render({ id: 53, status: 'FAILED', result: '{"error": {"code": 5, "path": "/x"}}' }),
      'approval-result',
    )!;
    expect(nested.querySelector('pre code')?.textContent).toBe(
      '{\n  "error": {\n    "code": 5,\n    "path": "/x"\n  }\n}\n',
    );
    // Plain output stays as written, line breaks and all.
    const plain = q(render({ id: 54, status: 'SUCCEEDED', result: 'line 1\n  line 2' }), 'approval-result')!;
    expect(plain.querySelector('pre')?.textContent).toBe('line 1\n  line 2');
  });

  it.each([
    ['failed', 'failed: disk is read-only', 'disk is read-only', '失败：disk is read-only'],
    ['cancelled', 'cancelled: changed my mind', 'changed my mind', '已取消：changed my mind'],
  ] as const)(
    'in 中文 a %s command reads in Chinese: only the agent’s words stay as written',
    (kind, result, detail, shown) => {
      TestBed.inject(I18nService).setLang('zh-CN');
      const data = { agentName: 'storage-custodian', command: 'cleanup /tmp', reasoning: 'disk is 97% full' };
      const el = render({ id: 60, status: 'FAILED', ...data, result, outcome: { kind, detail }, commandId: 9 });
      expect(q(el, 'approval-result')?.textContent).toBe(shown);
      // Nothing English is left once the data (names, command, reasons, the agent's words) is taken out.
      const words = [...Object.values(data), detail].reduce((t, d) => t.split(d).join(''), el.textContent ?? '');
      expect(words).not.toMatch(/[A-Za-z]{2,}/);
    },
  );

  it('shows JSON arguments of a command as a table under its name; other arguments stay the command line', () => {
    const el = render({ id: 55, command: 'write_config {"port": 8080, "host": "0.0.0.0"}' });
    expect(q(el, 'approval-command')?.textContent).toBe('write_config');
    const rows = [...q(el, 'approval-args')!.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['port', '8080'],
      ['host', '0.0.0.0'],
    ]);
    const broken = render({ id: 56, command: 'write_config {"port": 80' });
    expect(q(broken, 'approval-command')?.textContent).toBe('write_config {"port": 80');
    expect(q(broken, 'approval-args')).toBeNull();
    // Markup inside JSON is text, never HTML.
    const hostile = render({ id: 57, command: 'note {"text": "<img src=x onerror=alert(1)>"}' });
    expect(q(hostile, 'approval-args')!.querySelector('img')).toBeNull();
    expect(q(hostile, 'approval-args')!.textContent).toContain('<img src=x onerror=alert(1)>');
  });
  it('marks a request an assistant made with a personal access token (“via token #id” when not the viewer’s own)', () => {
    const el = render({ requestedViaTokenId: 5 });
    http.expectOne('/api/access-tokens').flush([]);
    fixture.detectChanges();
    expect(q(el, 'via-token')?.textContent?.trim()).toBe('via token #5');
    expect(q(render({ id: 2, requestedViaTokenId: null }), 'via-token')).toBeNull();
  });
});

describe('ApprovalCard for a member', () => {
  /** The member's view, with the hub's APPROVAL_REQUESTER_MAY_APPROVE as GET /api/butler says it. */
  function memberView(requesterMayApprove: boolean) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession('MEMBER', 42).providers,
        ...provideFakeSocket().providers,
        SocketService,
        ApprovalsStore,
        ButlerStore,
        CommandOutputStore,
        { provide: ClockService, useValue: { now: signal(NOW) } },
      ],
    });
    TestBed.inject(ButlerStore).load();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/butler')
      .flush({ id: 2, name: 'Butler', kind: 'BUTLER', brain: 'offline', requesterMayApprove });
    const store = TestBed.inject(ApprovalsStore);
    return (requestedBy: number, more: Partial<ApprovalDto> = {}) => {
      store.upsert(approvalDto({ id: requestedBy, requestedBy, ...more }));
      const f = TestBed.createComponent(ApprovalCard);
      f.componentRef.setInput('approval', store.get(requestedBy));
      f.detectChanges();
      return f.nativeElement as HTMLElement;
    };
  }

  it('lets a member decide only their own request where the hub allows it, and never offers "always allow"', () => {
    const render = memberView(true);
    const someoneElses = render(1);
    expect(someoneElses.querySelector('[data-testid="approval-approve"]')).toBeNull();
    expect(someoneElses.querySelector('[data-testid="approval-waiting"]')).not.toBeNull();
    const own = render(42);
    expect(own.querySelector('[data-testid="approval-approve"]')).not.toBeNull();
    expect(own.querySelector('[data-testid="approval-remember"]')).toBeNull();
  });

  it('offers a member no buttons on their own request where requesters may not decide (the default)', () => {
    const own = memberView(false)(42);
    expect(own.querySelector('[data-testid="approval-approve"]')).toBeNull();
    expect(own.querySelector('[data-testid="approval-reject"]')).toBeNull();
    expect(own.querySelector('[data-testid="approval-waiting"]')).not.toBeNull();
  });

  it("offers a member Cancel on their own approved command while it waits or runs, never on someone else's", async () => {
    const render = memberView(false);
    const running = { status: 'RUNNING' as const, commandId: 77, decidedAt: '2026-01-01T10:01:00Z' };
    expect(render(1, running).querySelector('[data-testid="approval-cancel"]')).toBeNull();
    const own = render(42, running);
    const button = own.querySelector<HTMLButtonElement>('[data-testid="approval-cancel"]')!;
    expect(button.textContent).toContain('Cancel command');
    button.click();
    const req = TestBed.inject(HttpTestingController).expectOne('/api/commands/77/cancel');
    expect(req.request.method).toBe('POST');
    expect(req.request.body.reason).toContain('from the approval card');
    req.flush({ id: 77, status: 'CANCELLED' });
    await Promise.resolve();
    expect(
      render(42, { status: 'SUCCEEDED', commandId: 77 }).querySelector('[data-testid="approval-cancel"]'),
    ).toBeNull();
  });
});
