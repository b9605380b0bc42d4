import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { auditEntry } from '../../../../testing/audit';
import { provideSession } from '../../../../testing/test-session';
import { AUDIT_PAGE_SIZE, AuditTrailStore } from './audit-trail.store';

describe('AuditTrailStore', () => {
  let store: AuditTrailStore;
  let http: HttpTestingController;
  const request = (): TestRequest => http.expectOne((r) => r.url === '/api/audit');
  const params = (req: TestRequest) =>
    Object.fromEntries(req.request.params.keys().map((k) => [k, req.request.params.get(k)]));

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, AuditTrailStore],
    });
    store = TestBed.inject(AuditTrailStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the newest page, then older pages before the last entry shown, until there are none', async () => {
    const first = store.load();
    const req = request();
    expect(params(req)).toEqual({ limit: String(AUDIT_PAGE_SIZE) });
    req.flush({ items: [auditEntry({ id: 9 }), auditEntry({ id: 8 })], nextCursor: 8 });
    await first;
    expect(store.entries().map((e) => e.id)).toEqual([9, 8]);
    expect(store.hasOlder()).toBe(true);

    const more = store.older();
    const older = request();
    expect(params(older)).toEqual({ limit: String(AUDIT_PAGE_SIZE), before: '8' });
    older.flush({ items: [auditEntry({ id: 3 })], nextCursor: null });
    await more;
    expect(store.entries().map((e) => e.id)).toEqual([9, 8, 3]);
    expect(store.hasOlder()).toBe(false);
    await store.older();
    http.expectNone((r) => r.url === '/api/audit');
  });

  it('filters by target type from the newest page, and drops a late answer for the previous filter', async () => {
    const all = store.load();
    const stale = request();
    const agents = store.setTargetType('agent');
    const filtered = http.match((r) => r.url === '/api/audit').at(-1)!;
    expect(params(filtered)).toEqual({ limit: String(AUDIT_PAGE_SIZE), targetType: 'agent' });
    filtered.flush({
      items: [
        auditEntry({
          id: 5,
          action: 'agent.token_rotated',
          targetType: 'agent',
          targetName: 'Echo-Bot',
          details: null,
        }),
      ],
      nextCursor: null,
    });
    await agents;
    // The unfiltered page answers last: it must not replace the agent entries.
    stale.flush({ items: [auditEntry({ id: 9 })], nextCursor: 9 });
    await all;
    expect(store.entries().map((e) => e.action)).toEqual(['agent.token_rotated']);
    expect(store.hasOlder()).toBe(false);
    expect(store.loading()).toBe(false);
    expect(store.targetType()).toBe('agent');

    const back = store.setTargetType('');
    const unfiltered = request();
    expect(params(unfiltered)).toEqual({ limit: String(AUDIT_PAGE_SIZE) });
    unfiltered.flush({ items: [auditEntry({ id: 9 })], nextCursor: null });
    await back;
    expect(store.entries().map((e) => e.id)).toEqual([9]);
  });

  it('offers the known target types and any other one it has seen', async () => {
    const done = store.load();
    request().flush({ items: [auditEntry({ targetType: 'webhook' })], nextCursor: null });
    await done;
    expect(store.targetTypes()).toEqual(['user', 'agent', 'rule', 'policy', 'webhook']);
  });

  it('keeps what it has and says why when a page fails', async () => {
    const done = store.load();
    request().flush(
      { statusCode: 403, code: 'FORBIDDEN', message: 'Admins only' },
      { status: 403, statusText: 'Forbidden' },
    );
    await done;
    expect(store.error()).toBe('Admins only');
    expect(store.loading()).toBe(false);
    expect(store.entries()).toEqual([]);
  });
});
