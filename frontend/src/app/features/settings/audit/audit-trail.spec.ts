import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { I18nService } from '../../../core/i18n/i18n.service';
import { auditEntry } from '../../../../testing/audit';
import { provideSession } from '../../../../testing/test-session';
import { AuditTrail } from './audit-trail';

describe('AuditTrail (Settings → Audit)', () => {
  let fixture: ComponentFixture<AuditTrail>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const all = (id: string) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const page = (items = [auditEntry()], nextCursor: number | null = null) => ({ items, nextCursor });

  async function open(items = [auditEntry()], nextCursor: number | null = null) {
    fixture = TestBed.createComponent(AuditTrail);
    el = fixture.nativeElement;
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/audit').flush(page(items, nextCursor));
    await settle();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('shows who did what to which target, with details, and the hub as actor when nobody was', async () => {
    await open([
      auditEntry({
        id: 3,
        actorId: null,
        actorName: 'demo fleet',
        action: 'agent.token_rotated',
        targetType: 'agent',
        targetId: 4,
        targetName: 'Echo-Bot',
        details: null,
      }),
      auditEntry({ id: 2, action: 'user.updated', details: { role: 'ADMIN', password: 'reset' } }),
      auditEntry({ id: 1, action: 'rule.created', targetType: 'rule', targetName: 'get_file' }),
    ]);
    const rows = all('audit-entry');
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual([
      'agent.token_rotated',
      'user.updated',
      'rule.created',
    ]);
    expect(rows[0].textContent).toContain("rotated an agent's token");
    expect(rows[0].textContent).toContain('demo fleet (the hub)');
    expect(rows[0].textContent).toContain('Echo-Bot #4');
    expect(rows[1].textContent).toContain('role: ADMIN');
    expect(rows[1].textContent).toContain('password: reset');
    // An action the console has no label for yet still shows its code.
    expect(rows[2].textContent).toContain('rule.created');
  });

  it('makes control and bidi characters in names visible instead of letting them reorder the row', async () => {
    await open([auditEntry({ targetName: 'evil\u202Egnp.exe', details: { note: 'a\u0007b' } })]);
    const row = all('audit-entry')[0];
    expect(row.textContent).toContain('evil\\u{202E}gnp.exe');
    expect(row.textContent).toContain('note: a\\u{7}b');
    expect(row.textContent).not.toContain('\u202E');
  });

  it('filters by target type and pages back with "older"', async () => {
    await open([auditEntry({ id: 9 })], 9);
    const older = q('audit-trail-older') as HTMLButtonElement;
    older.click();
    const next = http.expectOne((r) => r.url === '/api/audit');
    expect(next.request.params.get('before')).toBe('9');
    next.flush(page([auditEntry({ id: 4 })]));
    await settle();
    expect(all('audit-entry')).toHaveLength(2);
    expect(q('audit-trail-older')).toBeNull();

    const select = q('audit-filter-type') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['', 'user', 'agent', 'rule', 'policy']);
    select.value = 'agent';
    select.dispatchEvent(new Event('change'));
    const filtered = http.expectOne((r) => r.url === '/api/audit');
    expect(filtered.request.params.get('targetType')).toBe('agent');
    expect(filtered.request.params.has('before')).toBe(false);
    filtered.flush(page([]));
    await settle();
    expect(all('audit-entry')).toHaveLength(0);
    expect(el.textContent).toContain('Nothing recorded yet.');
  });

  it('speaks Chinese', async () => {
    TestBed.inject(I18nService).setLang('zh-CN');
    await open([auditEntry({ action: 'agent.registered', targetType: 'agent', targetName: 'Echo-Bot' })]);
    expect(q('audit-trail')?.querySelector('h2')?.textContent).toBe('审计记录');
    expect(all('audit-entry')[0].textContent).toContain('注册了智能体');
    expect(all('audit-entry')[0].textContent).toContain('智能体');
  });
});
