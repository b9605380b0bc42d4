import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { SettingsDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { auditRow, settingsDto } from '../../../../testing/settings';
import { SystemSettingsStore } from './system-settings.store';

describe('SystemSettingsStore', () => {
  let store: SystemSettingsStore;
  let http: HttpTestingController;
  const field = (key: string) => store.fields().find((f) => f.key === key)!;

  /** Answers the GET and the first audit page that load() asks for. */
  async function loaded(dto: SettingsDto = settingsDto()): Promise<void> {
    const done = store.load();
    http.expectOne('/api/settings').flush(dto);
    await Promise.resolve();
    await flushAudit();
    await done;
  }

  async function flushAudit(items = [auditRow()], nextCursor: number | null = null): Promise<void> {
    await new Promise((r) => setTimeout(r));
    http.expectOne((r) => r.url === '/api/settings/audit').flush({ items, nextCursor });
    await new Promise((r) => setTimeout(r));
  }

  async function patched(
    expected: unknown,
    answer: SettingsDto | { status: number; body: object },
    action: Promise<unknown>,
  ): Promise<void> {
    const req = http.expectOne({ method: 'PATCH', url: '/api/settings' });
    expect(req.request.body).toEqual(expected);
    if ('fields' in answer) req.flush(answer);
    else req.flush(answer.body, { status: answer.status, statusText: 'x' });
    await action.catch(() => undefined);
    if ('fields' in answer) await flushAudit();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, SystemSettingsStore],
    });
    store = TestBed.inject(SystemSettingsStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the fields grouped in server order, and the audit list', async () => {
    await loaded();
    expect(store.groups().map((g) => g.name)).toEqual(['butler', 'approvals', 'commands', 'logs']);
    expect(store.groups()[0].fields.map((f) => f.key)).toEqual([
      'butler.baseUrl',
      'butler.model',
      'butler.apiKey',
      'butler.compactionThreshold',
      'butler.tools',
    ]);
    expect(store.audit()).toHaveLength(1);
  });

  it('counts an edit as unsaved only while it differs from the value in effect', async () => {
    await loaded();
    store.setDraft('logs.retentionDays', '30');
    expect(store.dirtyFields().map((f) => f.key)).toEqual(['logs.retentionDays']);
    store.setDraft('logs.retentionDays', ' 0 ');
    expect(store.dirtyFields()).toEqual([]);
    // Environment-controlled fields are read-only: an edit there can never be saved.
    store.setDraft('butler.model', 'other');
    expect(store.dirtyFields()).toEqual([]);
  });

  it('saves every edited field in one nested PATCH with typed values, then clears the edits', async () => {
    await loaded();
    store.setDraft('logs.retentionDays', '30');
    store.setDraft('approvals.requesterMayApprove', true);
    store.setDraft('approvals.policy', 'always');
    const after = settingsDto({ 'logs.retentionDays': { value: 30, source: 'db', updatedBy: 'alice' } });
    await patched(
      { approvals: { policy: 'always', requesterMayApprove: true }, logs: { retentionDays: 30 } },
      after,
      store.save(),
    );
    expect(store.dirtyFields()).toEqual([]);
    expect(field('logs.retentionDays')).toMatchObject({ value: 30, source: 'db' });
    expect(store.notice()).toContain('Saved');
  });

  it('refuses a non-number or an out-of-range integer without a request', async () => {
    await loaded();
    store.setDraft('agentCommandTimeoutMs', '30s');
    store.setDraft('logs.retentionDays', '-1');
    await store.save();
    http.expectNone({ method: 'PATCH' });
    expect(store.fieldErrors().get('agentCommandTimeoutMs')).toBe('Enter a whole number.');
    expect(store.fieldErrors().get('logs.retentionDays')).toBe('Must be between 0 and 36500.');
    store.setDraft('logs.retentionDays', '7');
    expect(store.fieldErrors().has('logs.retentionDays')).toBe(false);
  });

  it("puts the server's field errors next to their fields and the rest above the form", async () => {
    await loaded(
      settingsDto({
        'butler.baseUrl': { source: 'default', readOnly: false, value: null },
        'butler.model': { source: 'default', readOnly: false, value: null },
      }),
    );
    store.setDraft('butler.baseUrl', 'http://llm.local/v1');
    const details = [
      { field: 'butler.model', message: 'is required when butler.baseUrl is set' },
      { field: 'future.thing', message: 'is not a known setting' },
    ];
    await patched(
      { butler: { baseUrl: 'http://llm.local/v1' } },
      { status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'x', details } },
      store.save(),
    );
    expect(store.fieldErrors().get('butler.model')).toBe('is required when butler.baseUrl is set');
    expect(store.saveError()).toBe('future.thing: is not a known setting');
    expect(store.dirtyFields().map((f) => f.key)).toEqual(['butler.baseUrl']);
  });

  it('sends a new endpoint and the key typed for it in one request: the server binds the key to its origin', async () => {
    const db = {
      'butler.baseUrl': { value: 'http://127.0.0.1:4010/v1', source: 'db' as const, readOnly: false },
      'butler.model': { value: 'm', source: 'db' as const, readOnly: false },
    };
    await loaded(settingsDto(db));
    // "Save" with a key being typed: both go.
    store.setDraft('butler.baseUrl', 'https://models.example/v1');
    store.secretEdit.set({ key: 'butler.apiKey', value: ' sk-for-models ' });
    await patched(
      { butler: { baseUrl: 'https://models.example/v1', apiKey: 'sk-for-models' } },
      settingsDto(db),
      store.save(),
    );
    expect(store.secretEdit()).toBeNull();
    // "Save key" with an unsaved endpoint edit: both go too.
    store.setDraft('butler.baseUrl', 'https://other.example/v1');
    store.secretEdit.set({ key: 'butler.apiKey', value: 'sk-for-other' });
    await patched(
      { butler: { baseUrl: 'https://other.example/v1', apiKey: 'sk-for-other' } },
      settingsDto(db),
      store.setSecret('butler.apiKey', store.secretEdit()!.value),
    );
    expect(store.dirtyFields()).toEqual([]);
  });

  it('replaces a secret with the trimmed value and keeps no copy of it; clears it with null', async () => {
    await loaded();
    store.secretEdit.set({ key: 'butler.apiKey', value: ' sk-new-key ' });
    const set = settingsDto({ 'butler.apiKey': { set: true, source: 'db' } });
    await patched(
      { butler: { apiKey: 'sk-new-key' } },
      set,
      store.setSecret('butler.apiKey', store.secretEdit()!.value),
    );
    expect(store.secretEdit()).toBeNull();
    expect(field('butler.apiKey').set).toBe(true);
    expect(JSON.stringify(store.settings())).not.toContain('sk-new-key');
    expect(store.notice()).toBe('Key saved.');

    await patched({ butler: { apiKey: null } }, settingsDto(), store.setSecret('butler.apiKey', null));
    expect(field('butler.apiKey').set).toBe(false);
    expect(store.notice()).toBe('Key cleared.');
  });

  it('shows a failed one-field action next to that field', async () => {
    await loaded();
    await patched(
      { butler: { apiKey: 'k' } },
      { status: 409, body: { statusCode: 409, code: 'CONFLICT', message: 'set SETTINGS_KEY first' } },
      store.setSecret('butler.apiKey', 'k'),
    );
    expect(store.fieldErrors().get('butler.apiKey')).toBe('set SETTINGS_KEY first');
    expect(store.saveError()).toBeNull();
  });

  it('resets a stored field to its default with null', async () => {
    await loaded(settingsDto({ 'logs.retentionDays': { value: 30, source: 'db' } }));
    await patched({ logs: { retentionDays: null } }, settingsDto(), store.reset('logs.retentionDays'));
    expect(field('logs.retentionDays')).toMatchObject({ value: 0, source: 'default' });
  });

  it('tests the model with the unsaved endpoint, model and typed key, and reports the list', async () => {
    await loaded(
      settingsDto({
        'butler.baseUrl': { source: 'db', readOnly: false },
        'butler.model': { source: 'db', readOnly: false },
      }),
    );
    store.setDraft('butler.baseUrl', 'http://other.local/v1');
    store.setDraft('butler.model', 'llama3.1');
    store.secretEdit.set({ key: 'butler.apiKey', value: 'sk-try' });
    const running = store.testModel();
    expect(store.modelTest().state).toBe('running');
    const req = http.expectOne({ method: 'POST', url: '/api/settings/test-model' });
    expect(req.request.body).toEqual({ baseUrl: 'http://other.local/v1', model: 'llama3.1', apiKey: 'sk-try' });
    req.flush({ ok: true, models: ['llama3.1', 'qwen2'], modelFound: true });
    await running;
    expect(store.modelTest()).toEqual({
      state: 'done',
      model: 'llama3.1',
      result: { ok: true, models: ['llama3.1', 'qwen2'], modelFound: true },
    });
  });

  it('tests the saved endpoint when nothing is edited, and reports a refusal like a failed connection', async () => {
    await loaded();
    const running = store.testModel();
    const req = http.expectOne('/api/settings/test-model');
    expect(req.request.body).toEqual({});
    req.flush(
      { statusCode: 400, code: 'VALIDATION_FAILED', message: 'baseUrl: no endpoint given and none configured' },
      { status: 400, statusText: 'x' },
    );
    await running;
    expect(store.modelTest()).toEqual({
      state: 'done',
      model: 'fake-butler',
      result: { ok: false, error: 'baseUrl: no endpoint given and none configured' },
    });
  });

  it('pages the audit list backwards with the cursor', async () => {
    const done = store.load();
    http.expectOne('/api/settings').flush(settingsDto());
    await flushAudit([auditRow({ id: 9 }), auditRow({ id: 8 })], 8);
    await done;
    const more = store.loadAudit(true);
    const req = http.expectOne((r) => r.url === '/api/settings/audit');
    expect(req.request.params.get('before')).toBe('8');
    req.flush({ items: [auditRow({ id: 3 })], nextCursor: null });
    await more;
    expect(store.audit().map((a) => a.id)).toEqual([9, 8, 3]);
    expect(store.auditCursor()).toBeNull();
  });

  it('reports a failed load with the server message', async () => {
    const done = store.load();
    http
      .expectOne('/api/settings')
      .flush({ statusCode: 403, code: 'FORBIDDEN', message: 'Admins only' }, { status: 403, statusText: 'x' });
    await flushAudit([]);
    await done;
    expect(store.loadError()).toMatchObject({ code: 'FORBIDDEN', message: 'Admins only' });
  });
});
