import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { provideSession, testUser } from '../../../testing/test-session';
import { authInterceptor } from '../../core/auth/auth.interceptor';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        ...provideSession(null).providers,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LoginPage);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });

  function type(id: string, value: string) {
    const input = q(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  }

  async function submitAnd(status: number, body: object, headers: Record<string, string> = {}) {
    type('login-username', 'alice');
    type('login-password', 'secret');
    q('login-submit')!.click();
    http.expectOne('/api/auth/login').flush(body, { status, statusText: 'x', headers });
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('asks for both fields without calling the server', () => {
    q('login-submit')!.click();
    fixture.detectChanges();
    http.expectNone('/api/auth/login');
    expect(q('login-error')?.textContent).toContain('Enter your username and password');
  });

  it('explains wrong credentials', async () => {
    await submitAnd(401, { statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Invalid credentials' });
    expect(q('login-error')?.textContent).toContain('Wrong username or password');
    expect((q('login-password') as HTMLInputElement).value).toBe('');
  });

  it('explains the rate limit, with the wait from Retry-After', async () => {
    await submitAnd(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'Too many' }, { 'Retry-After': '30' });
    expect(q('login-error')?.getAttribute('data-code')).toBe('RATE_LIMITED');
    expect(q('login-error')?.textContent).toContain('Try again in 30 s');
  });

  it('reads a named throttler header such as Retry-After-login-user', async () => {
    await submitAnd(
      429,
      { statusCode: 429, code: 'RATE_LIMITED', message: 'Too many' },
      { 'Retry-After-login-user': '57' },
    );
    expect(q('login-error')?.textContent).toContain('Try again in 57 s');
  });

  it('explains the rate limit without a Retry-After header', async () => {
    await submitAnd(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'Too many' });
    expect(q('login-error')?.textContent).toContain('Too many sign-in attempts. Wait a moment');
  });

  it('navigates into the console after a successful login', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await submitAnd(200, { accessToken: 't', expiresIn: 60, user: testUser() });
    expect(navigate).toHaveBeenCalledWith('/');
    expect(q('login-error')).toBeNull();
  });

  it('tells the operator when the session expired', () => {
    fixture.componentRef.setInput('reason', 'expired');
    fixture.detectChanges();
    expect(q('login-expired')?.textContent).toContain('session has expired');
  });
});
