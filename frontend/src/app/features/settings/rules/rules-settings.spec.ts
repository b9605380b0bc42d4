import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { AllowRuleDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { ClockService } from '../../../core/clock.service';
import { RulesSettings } from './rules-settings';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function ruleDto(overrides: Partial<AllowRuleDto> = {}): AllowRuleDto {
  return {
    id: 3,
    agentId: 7,
    agentName: 'Fleet-Ops',
    commandName: 'restart_service',
    pattern: 'restart_service web-*',
    requesterId: 42,
    requesterName: 'carol',
    createdBy: 1,
    createdByName: 'alice',
    approvalId: 12,
    createdAt: '2026-02-20T09:00:00Z',
    expiresAt: '2026-03-22T09:00:00Z',
    hits: 4,
    lastUsedAt: '2026-02-28T08:00:00Z',
    ...overrides,
  };
}

describe('RulesSettings (Settings → Rules)', () => {
  let fixture: ComponentFixture<RulesSettings>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const all = (id: string) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

  async function open(rules: AllowRuleDto[]) {
    fixture = TestBed.createComponent(RulesSettings);
    el = fixture.nativeElement;
    http.expectOne('/api/approvals/rules').flush(rules);
    fixture.detectChanges();
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        { provide: ClockService, useValue: { now: signal(NOW) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('shows what each rule covers, until when, how often it fired and who made it from which approval', async () => {
    await open([
      ruleDto(),
      ruleDto({
        id: 4,
        pattern: 'clean …',
        requesterId: null,
        requesterName: null,
        approvalId: null,
        expiresAt: null,
        hits: 0,
        lastUsedAt: null,
        createdByName: 'admin',
      }),
      ruleDto({ id: 5, expiresAt: '2026-02-01T00:00:00Z' }),
    ]);
    expect(all('rule-row')).toHaveLength(3);
    expect(all('rule-pattern').map((e) => e.textContent)).toEqual([
      'restart_service web-*',
      'clean …',
      'restart_service web-*',
    ]);
    expect(all('rule-requester').map((e) => e.textContent?.trim())).toEqual(['carol', 'anyone', 'carol']);
    expect(all('rule-expires')[1].textContent).toContain('never');
    expect(all('rule-expires')[2].textContent).toContain('expired');
    expect(all('rule-hits')[0].textContent).toContain('4×');
    expect(all('rule-hits')[0].textContent).toContain('last');
    expect(all('rule-made-by')[0].textContent).toContain('alice');
    expect(all('rule-made-by')[0].textContent).toContain('from approval #12');
    expect(all('rule-row')[1].textContent).toContain('any arguments');
  });

  it('revokes a rule with one click', async () => {
    await open([ruleDto(), ruleDto({ id: 4 })]);
    all('rule-revoke')[0].click();
    const req = http.expectOne('/api/approvals/rules/3');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(all('rule-row')).toHaveLength(1);
  });
});
