import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { CommandPolicyDto } from '@echocenter/contracts';
import { CommandPoliciesStore } from './command-policies.store';

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

describe('CommandPoliciesStore', () => {
  let store: CommandPoliciesStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), CommandPoliciesStore],
    });
    store = TestBed.inject(CommandPoliciesStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks nothing for an agent whose card lists no command', async () => {
    await store.load(7, 0);
    expect(store.policies()).toEqual([]);
    expect(store.loading()).toBe(false);
  });

  it('loads the policies, loading meanwhile; a failed load says why', async () => {
    let loading = store.load(7, 1);
    expect(store.loading()).toBe(true);
    http
      .expectOne('/api/agents/7/policies')
      .flush(
        { statusCode: 404, code: 'NOT_FOUND', message: 'agent 7 not found' },
        { status: 404, statusText: 'Not Found' },
      );
    await loading;
    expect(store.error()).toBe('agent 7 not found');
    expect(store.loading()).toBe(false);

    loading = store.load(7, 1);
    http.expectOne('/api/agents/7/policies').flush([policy({})]);
    await loading;
    expect(store.error()).toBeNull();
    expect(store.policies().map((p) => p.command)).toEqual(['get_status']);
  });

  it("marks the command busy while its change is on its way, then shows the hub's answer", async () => {
    const loading = store.load(7, 1);
    http.expectOne('/api/agents/7/policies').flush([policy({}), policy({ command: 'wipe' })]);
    await loading;
    const updating = store.update(store.policies()[1], { destructive: true });
    expect(store.busy()).toBe('wipe');
    const req = http.expectOne({ method: 'PUT', url: '/api/agents/7/policies/wipe' });
    expect(req.request.body).toEqual({ destructive: true });
    req.flush(policy({ command: 'wipe', destructive: true, policy: 'DESTRUCTIVE' }));
    await updating;
    expect(store.busy()).toBeNull();
    expect(store.policies().map((p) => p.policy)).toEqual(['NEEDS_APPROVAL', 'DESTRUCTIVE']);
  });
});
