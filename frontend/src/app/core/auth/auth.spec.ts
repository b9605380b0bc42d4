import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { MemoryStorage, provideSession, testUser } from '../../../testing/test-session';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { APP_STORAGE, SESSION_KEY } from './session-storage';

describe('AuthService + interceptor', () => {
  function setup(storageProviders: ReturnType<typeof provideSession>['providers']) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        ...storageProviders,
      ],
    });
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    return {
      auth: TestBed.inject(AuthService),
      http: TestBed.inject(HttpTestingController),
      client: TestBed.inject(HttpClient),
      navigate,
    };
  }

  it('stores the session after login and sends the bearer token on API calls', async () => {
    const { storage, providers } = provideSession(null);
    const { auth, http, client } = setup(providers);
    const login = auth.login({ username: 'alice', password: 'pw' });
    const req = http.expectOne('/api/auth/login');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({ accessToken: 'tok', expiresIn: 3600, user: testUser({ role: 'MEMBER' }) });
    await login;
    expect(auth.isLoggedIn()).toBe(true);
    expect(auth.isAdmin()).toBe(false);
    expect(JSON.parse(storage.getItem(SESSION_KEY)!).token).toBe('tok');

    client.get('/api/agents').subscribe();
    expect(http.expectOne('/api/agents').request.headers.get('Authorization')).toBe('Bearer tok');
    http.verify();
  });

  it('ends the session and goes to login on a 401 from the API', () => {
    const { auth, http, client, navigate } = setup(provideSession('ADMIN').providers);
    client.get('/api/agents').subscribe({ error: () => undefined });
    http
      .expectOne('/api/agents')
      .flush(
        { statusCode: 401, code: 'UNAUTHORIZED', message: 'expired' },
        { status: 401, statusText: 'Unauthorized' },
      );
    expect(auth.isLoggedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } });
  });

  it('signs out everywhere: asks the hub to end every session, then signs this tab out', async () => {
    const { auth, http, navigate } = setup(provideSession('MEMBER').providers);
    const done = auth.logoutEverywhere();
    const req = http.expectOne('/api/auth/logout-all');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Authorization')).toBe('Bearer jwt-token');
    expect(auth.isLoggedIn()).toBe(true);
    req.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(auth.isLoggedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: {} });
  });

  it('keeps the session when signing out everywhere fails', async () => {
    const { auth, http } = setup(provideSession('MEMBER').providers);
    const done = auth.logoutEverywhere();
    http
      .expectOne('/api/auth/logout-all')
      .flush({ statusCode: 503, code: 'UNAVAILABLE', message: 'later' }, { status: 503, statusText: 'Unavailable' });
    await expect(done).rejects.toBeTruthy();
    expect(auth.isLoggedIn()).toBe(true);
  });

  it('does not treat a failed login as an expired session', async () => {
    const { auth, http, navigate } = setup(provideSession(null).providers);
    const login = auth.login({ username: 'alice', password: 'bad' });
    http
      .expectOne('/api/auth/login')
      .flush(
        { statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'no' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(login).rejects.toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('ignores a stored session that has already expired', () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_KEY, JSON.stringify({ token: 't', user: testUser(), expiresAt: Date.now() - 1 }));
    const { auth } = setup([{ provide: APP_STORAGE, useValue: storage }]);
    expect(auth.isLoggedIn()).toBe(false);
  });

  it('logs out by itself when the token expires', () => {
    jest.useFakeTimers();
    try {
      const storage = new MemoryStorage();
      storage.setItem(SESSION_KEY, JSON.stringify({ token: 't', user: testUser(), expiresAt: Date.now() + 5000 }));
      const { auth, navigate } = setup([{ provide: APP_STORAGE, useValue: storage }]);
      expect(auth.isLoggedIn()).toBe(true);
      jest.advanceTimersByTime(5001);
      expect(auth.isLoggedIn()).toBe(false);
      expect(storage.getItem(SESSION_KEY)).toBeNull();
      expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } });
    } finally {
      jest.useRealTimers();
    }
  });
});
