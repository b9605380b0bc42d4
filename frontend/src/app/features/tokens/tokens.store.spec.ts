import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AccessTokenDto } from '@echocenter/contracts';
import { TokensStore } from './tokens.store';

const token = (id: number, over: Partial<AccessTokenDto> = {}): AccessTokenDto => ({
  id,
  name: `token ${id}`,
  scope: 'read',
  hint: `ecp_…000${id}`,
  createdAt: '2026-12-01T00:00:00Z',
  lastUsedAt: null,
  expiresAt: null,
  ...over,
});

describe('TokensStore', () => {
  let store: TokensStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), TokensStore] });
    store = TestBed.inject(TokensStore);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('lists, keeps a created secret only until dismissed (never in the list), and revokes', async () => {
    const loading = store.load();
    http.expectOne('/api/access-tokens').flush([token(1)]);
    await loading;
    expect(store.tokens().map((t) => t.id)).toEqual([1]);

    const creating = store.create({ name: 'IDE', scope: 'operate', expiresInDays: 30 });
    const req = http.expectOne({ method: 'POST', url: '/api/access-tokens' });
    expect(req.request.body).toEqual({ name: 'IDE', scope: 'operate', expiresInDays: 30 });
    req.flush({ ...token(2, { name: 'IDE', scope: 'operate' }), token: 'ecp_secret-value' });
    await creating;
    expect(store.created()?.token).toBe('ecp_secret-value');
    expect(store.tokens().map((t) => t.id)).toEqual([2, 1]);
    expect(JSON.stringify(store.tokens())).not.toContain('ecp_secret-value');

    const revoking = store.revoke(2);
    http
      .expectOne({ method: 'DELETE', url: '/api/access-tokens/2' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await revoking;
    expect(store.tokens().map((t) => t.id)).toEqual([1]);
    expect(store.created()).toBeNull();
  });

  it("shows the server's refusal (a token cannot mint tokens) as the error", async () => {
    const creating = store.create({ name: 'x', scope: 'operate' });
    http.expectOne('/api/access-tokens').flush(
      {
        statusCode: 403,
        code: 'FORBIDDEN',
        message: 'Personal access tokens are managed from a console session, not with a token',
      },
      { status: 403, statusText: 'Forbidden' },
    );
    await creating;
    expect(store.error()).toContain('console session');
    expect(store.created()).toBeNull();
  });
});
