import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { I18nService } from '../../../core/i18n/i18n.service';
import { provideSession } from '../../../../testing/test-session';
import { auditRow, settingsDto } from '../../../../testing/settings';
import { SystemSettings } from './system-settings';

describe('SystemSettings (Settings → System)', () => {
  let fixture: ComponentFixture<SystemSettings>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const all = (id: string, root: ParentNode = el) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const q = (id: string, root: ParentNode = el) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const fieldEl = (key: string) => el.querySelector<HTMLElement>(`[data-testid="setting-field"][data-key="${key}"]`)!;
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    fixture.detectChanges();
    await fixture.whenStable();
  };

  async function open(
    dto = settingsDto(),
    audit = [
      auditRow({ id: 2, key: 'butler.apiKey', secret: true, oldValue: '••••', newValue: '••••', action: 'changed' }),
      auditRow(),
    ],
  ) {
    fixture = TestBed.createComponent(SystemSettings);
    el = fixture.nativeElement;
    fixture.detectChanges();
    http.expectOne('/api/settings').flush(dto);
    await settle();
    http.expectOne((r) => r.url === '/api/settings/audit').flush({ items: audit, nextCursor: null });
    await settle();
  }

  function type(input: HTMLInputElement, value: string) {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('shows each field with its source; environment fields are read-only and say which variable to unset', async () => {
    await open();
    expect(all('setting-group').map((g) => g.getAttribute('data-group'))).toEqual([
      'butler',
      'approvals',
      'commands',
      'logs',
    ]);
    const model = fieldEl('butler.model');
    expect(model.getAttribute('data-source')).toBe('env');
    expect(q('setting-source', model)?.textContent).toBe('environment');
    expect((q('setting-input', model) as HTMLInputElement).disabled).toBe(true);
    expect(q('setting-env-note', model)?.textContent).toContain('BUTLER_MODEL');
    const ttl = fieldEl('approvals.ttlMs');
    expect(q('setting-source', ttl)?.textContent).toBe('default');
    expect((q('setting-input', ttl) as HTMLInputElement).value).toBe('900000');
    expect(q('setting-duration', ttl)?.textContent).toContain('15 minutes');
    expect(q('setting-env-note', ttl)).toBeNull();
  });

  it('shows a secret only as set / not set, and replaces it through a password field', async () => {
    await open(
      settingsDto({
        'butler.apiKey': { set: true, source: 'db', updatedBy: 'alice', updatedAt: '2026-01-01T10:00:00Z' },
      }),
    );
    const key = fieldEl('butler.apiKey');
    expect(q('setting-secret-state', key)?.textContent).toBe('set');
    expect(q('setting-input', key)).toBeNull();
    q('setting-secret-replace', key)!.click();
    fixture.detectChanges();
    const input = q('setting-secret-input', key) as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');
    type(input, 'sk-replacement');
    q('setting-secret-save', key)!.click();
    const req = http.expectOne({ method: 'PATCH', url: '/api/settings' });
    expect(req.request.body).toEqual({ butler: { apiKey: 'sk-replacement' } });
    req.flush(settingsDto({ 'butler.apiKey': { set: true, source: 'db' } }));
    await settle();
    http.expectOne((r) => r.url === '/api/settings/audit').flush({ items: [], nextCursor: null });
    await settle();
    expect(q('setting-secret-input', key)).toBeNull();
    expect(el.textContent).not.toContain('sk-replacement');
    expect(q('system-notice')?.textContent).toContain('Key saved.');
  });

  it('offers no secret form while SETTINGS_KEY is missing, and says why', async () => {
    await open(settingsDto({}, false));
    const key = fieldEl('butler.apiKey');
    expect((q('setting-secret-replace', key) as HTMLButtonElement).disabled).toBe(true);
    expect(q('setting-secrets-readonly', key)?.textContent).toContain('SETTINGS_KEY');
  });

  it('enables Save for an edit, sends it, and shows a server field error next to the field', async () => {
    await open();
    const save = q('system-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    type(q('setting-input', fieldEl('approvals.ttlMs')) as HTMLInputElement, '60000');
    expect(q('system-dirty')?.textContent).toContain('1');
    expect(q('setting-duration', fieldEl('approvals.ttlMs'))?.textContent).toContain('1 minute');
    save.click();
    const req = http.expectOne({ method: 'PATCH', url: '/api/settings' });
    expect(req.request.body).toEqual({ approvals: { ttlMs: 60000 } });
    req.flush(
      {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'x',
        details: [{ field: 'approvals.ttlMs', message: 'must be between 1000 and 604800000' }],
      },
      { status: 400, statusText: 'x' },
    );
    await settle();
    expect(q('setting-error', fieldEl('approvals.ttlMs'))?.textContent).toContain('must be between');
  });

  it('resets a database value to the default', async () => {
    await open(
      settingsDto({
        'logs.retentionDays': { value: 30, source: 'db', updatedBy: 'alice', updatedAt: '2026-01-01T10:00:00Z' },
      }),
    );
    const days = fieldEl('logs.retentionDays');
    expect(days.textContent).toContain('changed by alice');
    q('setting-reset', days)!.click();
    http.expectOne({ method: 'PATCH' }).flush(settingsDto());
    await settle();
    http.expectOne((r) => r.url === '/api/settings/audit').flush({ items: [], nextCursor: null });
    await settle();
    expect(q('setting-source', fieldEl('logs.retentionDays'))?.textContent).toBe('default');
  });

  it('tests the model connection: the model list, or the error', async () => {
    await open();
    q('model-test')!.click();
    http.expectOne('/api/settings/test-model').flush({
      ok: true,
      models: ['other', 'fake-butler'],
      modelFound: true,
      capabilities: { streaming: true, tools: 'called', streamUsage: true },
    });
    await settle();
    expect(q('model-test-result')?.getAttribute('data-ok')).toBe('true');
    expect(all('model-test-model').map((m) => m.textContent)).toEqual(['fake-butler', 'other']);
    expect(q('model-test-found')?.textContent).toContain('fake-butler');
    expect(q('cap-streaming')?.textContent).toBe('yes');
    expect(q('cap-tools')?.textContent).toContain('called the probe tool');
    expect(q('cap-usage')?.textContent).toBe('yes');

    q('model-test')!.click();
    http.expectOne('/api/settings/test-model').flush({
      ok: true,
      models: ['fake-butler'],
      modelFound: true,
      capabilities: { streaming: false, tools: 'refused', streamUsage: false },
    });
    await settle();
    expect(q('cap-streaming')?.textContent).toContain('in one piece');
    expect(q('cap-tools')?.textContent).toContain('answers in words');
    expect(q('cap-usage')?.textContent).toBe('no');

    q('model-test')!.click();
    http.expectOne('/api/settings/test-model').flush({
      ok: true,
      models: ['fake-butler'],
      modelFound: true,
      capabilities: null,
      capabilitiesError: 'the endpoint refused the API key (401)',
    });
    await settle();
    expect(q('model-test-caps')).toBeNull();
    expect(q('model-test-caps-failed')?.textContent).toContain('refused the API key');

    q('model-test')!.click();
    http.expectOne('/api/settings/test-model').flush({ ok: false, error: 'cannot connect (ECONNREFUSED)' });
    await settle();
    expect(q('model-test-result')?.getAttribute('data-ok')).toBe('false');
    expect(q('model-test-result')?.textContent).toContain('ECONNREFUSED');
  });

  it('lists the audit with secrets masked as the server sends them', async () => {
    await open();
    const rows = all('audit-row');
    expect(rows.map((r) => r.getAttribute('data-key'))).toEqual(['butler.apiKey', 'logs.retentionDays']);
    expect(rows[0].textContent).toContain('••••');
    expect(rows[1].textContent).toContain('alice');
    expect(rows[1].textContent).toContain('30');
  });

  it('speaks 简体中文 after the language switch', async () => {
    await open();
    TestBed.inject(I18nService).setLang('zh-CN');
    fixture.detectChanges();
    expect(fieldEl('butler.model').textContent).toContain('模型名称');
    expect(q('setting-source', fieldEl('butler.model'))?.textContent).toBe('环境变量');
    expect(q('setting-env-note', fieldEl('butler.model'))?.textContent).toContain('由环境变量 BUTLER_MODEL 设置');
    expect(q('model-test')?.textContent).toContain('测试模型连接');
  });
});
