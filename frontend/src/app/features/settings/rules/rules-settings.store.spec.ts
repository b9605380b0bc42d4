import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AllowRuleDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { RulesSettingsStore } from './rules-settings.store';

const rule = (id: number): AllowRuleDto => ({
  id,
  agentId: 7,
  agentName: 'Fleet-Ops',
  commandName: 'restart_service',
  pattern: 'restart_service web-*',
  requesterId: null,
  requesterName: null,
  createdBy: 1,
  createdByName: 'alice',
  approvalId: null,
  createdAt: '2026-02-20T09:00:00Z',
  expiresAt: null,
  hits: 0,
  lastUsedAt: null,
});

describe('RulesSettingsStore', () => {
  let store: RulesSettingsStore;
  let http: HttpTestingController;
  const ids = () => store.rules().map((r) => r.id);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, RulesSettingsStore],
    });
    store = TestBed.inject(RulesSettingsStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('is loading until the rules arrive; a failed load says why', () => {
    expect(store.loading()).toBe(true);
    store.load();
    http
      .expectOne('/api/approvals/rules')
      .flush({ statusCode: 403, code: 'FORBIDDEN', message: 'admins only' }, { status: 403, statusText: 'Forbidden' });
    expect(store.loading()).toBe(false);
    expect(store.error()).toBe('admins only');
    expect(store.rules()).toEqual([]);
  });

  it('revokes a rule: its button is busy until the hub answers, then the rule is gone', async () => {
    store.load();
    http.expectOne('/api/approvals/rules').flush([rule(3), rule(4)]);
    const revoking = store.revoke(store.rules()[0]);
    expect(store.revoking()).toBe(3);
    http
      .expectOne({ method: 'DELETE', url: '/api/approvals/rules/3' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await revoking;
    expect(store.revoking()).toBeNull();
    expect(ids()).toEqual([4]);
  });

  it('keeps a rule the hub did not revoke, and says why', async () => {
    store.load();
    http.expectOne('/api/approvals/rules').flush([rule(3)]);
    const revoking = store.revoke(store.rules()[0]);
    http
      .expectOne('/api/approvals/rules/3')
      .flush(
        { statusCode: 404, code: 'NOT_FOUND', message: 'rule 3 not found' },
        { status: 404, statusText: 'Not Found' },
      );
    await revoking;
    expect(store.revoking()).toBeNull();
    expect(ids()).toEqual([3]);
    expect(store.error()).toBe('rule 3 not found');
  });
});
