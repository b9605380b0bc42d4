import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { AgentDto, CommandPolicyDto } from '@echocenter/contracts';
import { CommandPolicies } from './command-policies';

const agent = (commands: AgentDto['commands']): AgentDto => ({
  id: 7,
  name: 'Rogue-Agent',
  description: null,
  version: null,
  commands,
  online: true,
  status: 'ONLINE',
  lastSeenAt: null,
  lastReport: null,
  lastReportAt: null,
  tokenHint: null,
  tokenRotatedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
});

const policy = (p: Partial<CommandPolicyDto>): CommandPolicyDto => ({
  agentId: 7,
  command: 'get_status',
  args: null,
  description: null,
  claimsReadOnly: true,
  readOnlyConfirmed: false,
  destructive: false,
  policy: 'NEEDS_APPROVAL',
  needsReview: false,
  reviewReason: null,
  decidedByName: null,
  decidedAt: null,
  ...p,
});

describe('CommandPolicies', () => {
  let fixture: ComponentFixture<CommandPolicies>;
  let http: HttpTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const row = (command: string) =>
    el().querySelector<HTMLElement>(`[data-testid="command-policy"][data-command="${command}"]`)!;
  const q = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CommandPolicies);
    fixture.componentRef.setInput(
      'agent',
      agent([
        { name: 'get_status', readOnly: true, policy: 'NEEDS_APPROVAL' },
        { name: 'wipe', args: '<dev>', readOnly: true, policy: 'NEEDS_APPROVAL', needsReview: true },
      ]),
    );
    fixture.detectChanges();
    http.expectOne('/api/agents/7/policies').flush([
      policy({ command: 'get_status' }),
      policy({
        command: 'wipe',
        args: '<dev>',
        needsReview: true,
        reviewReason: 'args changed: "<x>" → "<dev>"',
        decidedByName: 'admin',
        decidedAt: '2026-01-01T00:00:00Z',
      }),
    ]);
    await settle();
  });

  afterEach(() => http.verify());

  it("shows each command's claim, effective policy and a needs-review marker with the reason", () => {
    expect(q(row('get_status'), 'policy-effective')?.textContent?.trim()).toBe('needs approval');
    expect(q(row('get_status'), 'policy-claim')?.textContent?.trim()).toBe('card claims read-only');
    expect(q(row('get_status'), 'policy-needs-review')).toBeNull();
    expect(q(row('wipe'), 'policy-needs-review')?.textContent?.trim()).toBe('needs review');
    expect(row('wipe').textContent).toContain('args changed');
  });

  it('confirms read-only after "Sure?", then offers to revoke it', async () => {
    q(row('get_status'), 'policy-confirm')!.click();
    fixture.detectChanges();
    q(row('get_status'), 'policy-confirm-confirm')!.click();
    const req = http.expectOne('/api/agents/7/policies/get_status');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ readOnly: true });
    req.flush(
      policy({
        readOnlyConfirmed: true,
        policy: 'READ_ONLY',
        decidedByName: 'admin',
        decidedAt: '2026-01-01T00:00:00Z',
      }),
    );
    await settle();
    expect(q(row('get_status'), 'policy-effective')?.textContent?.trim()).toBe('read-only');
    expect(q(row('get_status'), 'policy-revoke')).not.toBeNull();
    expect(q(row('get_status'), 'policy-confirm')).toBeNull();
  });

  it('marks a command destructive and shows a refusal from the server', async () => {
    q(row('wipe'), 'policy-destructive')!.click();
    http
      .expectOne('/api/agents/7/policies/wipe')
      .flush(policy({ command: 'wipe', destructive: true, policy: 'DESTRUCTIVE' }));
    await settle();
    expect(q(row('wipe'), 'policy-effective')?.textContent?.trim()).toBe('destructive');
    expect(q(row('wipe'), 'policy-undestructive')).not.toBeNull();

    q(row('get_status'), 'policy-destructive')!.click();
    http
      .expectOne('/api/agents/7/policies/get_status')
      .flush({ statusCode: 403, code: 'FORBIDDEN', message: 'Admins only' }, { status: 403, statusText: 'Forbidden' });
    await settle();
    expect(q(el(), 'policy-error')?.textContent).toContain('Admins only');
  });

  it('reloads when the card changes (a pushed agent:card)', async () => {
    fixture.componentRef.setInput('agent', agent([{ name: 'get_status', readOnly: false, policy: 'NEEDS_APPROVAL' }]));
    fixture.detectChanges();
    http.expectOne('/api/agents/7/policies').flush([policy({ claimsReadOnly: false })]);
    await settle();
    expect(q(row('get_status'), 'policy-claim')?.textContent?.trim()).toBe('card claims side effects');
    expect(q(row('get_status'), 'policy-confirm')).toBeNull();
  });
});
