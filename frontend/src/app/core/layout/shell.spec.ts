import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { HumanRole } from '@echocenter/contracts';
import { approvalDto } from '../../../testing/approvals';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession, testUser } from '../../../testing/test-session';
import { Shell } from './shell';

describe('Shell', () => {
  let http: HttpTestingController;
  let socket: FakeSocket;

  function render(role: HumanRole, defaultPassword = false) {
    const fake = provideFakeSocket();
    const session = provideSession(role);
    if (defaultPassword) {
      const stored = JSON.parse(session.storage.getItem('ec.session')!) as object;
      session.storage.setItem('ec.session', JSON.stringify({ ...stored, defaultPassword: true }));
    }
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...session.providers,
        ...fake.providers,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(Shell);
    fixture.detectChanges();
    socket = fake.sockets[0];
    http.expectOne('/api/agents').flush([]);
    http
      .expectOne('/api/butler')
      .flush({ id: 2, name: 'Butler', kind: 'BUTLER', brain: 'offline', requesterMayApprove: false });
    http.expectOne((r) => r.url === '/api/approvals').flush({ items: [approvalDto({ id: 1 })], nextCursor: null });
    http.expectOne('/api/auth/me').flush(testUser({ role }));
    fixture.detectChanges();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('warns an admin still on the default password, with a link to change it; no one else', () => {
    const { el } = render('ADMIN', true);
    const warning = el.querySelector('[data-testid="default-password-warning"]');
    expect(warning?.textContent).toContain('default admin password');
    expect(warning?.querySelector('a')?.getAttribute('href')).toBe('/settings/users');
    TestBed.resetTestingModule();
    expect(render('ADMIN').el.querySelector('[data-testid="default-password-warning"]')).toBeNull();
  });

  it('shows the settings link to admins', () => {
    const { el } = render('ADMIN');
    expect(el.querySelector('[data-testid="nav-settings"]')).not.toBeNull();
  });

  it('never shows admin navigation to a member', () => {
    const { el } = render('MEMBER');
    expect(el.querySelector('[data-testid="nav-settings"]')).toBeNull();
    expect(el.querySelector('[data-testid="nav-dashboard"]')).not.toBeNull();
  });

  it('badges the Approvals link with the pending approvals, live; the badge opens the inbox', async () => {
    const { fixture, el } = render('ADMIN');
    const badge = () => el.querySelector('[data-testid="approvals-badge"]')?.textContent?.trim();
    expect(badge()).toBe('1');
    expect(el.querySelector('[data-testid="approvals-badge"]')?.closest('a')?.getAttribute('href')).toBe('/approvals');
    socket.serverEmit('approval:requested', { ...approvalDto({ id: 2 }), status: 'PENDING' });
    await fixture.whenStable();
    expect(badge()).toBe('2');
    socket.serverEmit('approval:updated', { id: 1, status: 'REJECTED' });
    socket.serverEmit('approval:updated', { id: 2, status: 'APPROVED' });
    await fixture.whenStable();
    expect(badge()).toBeUndefined();
  });

  it('offers "sign out everywhere", which asks the hub to end every session', () => {
    const { el } = render('MEMBER');
    const button = el.querySelector<HTMLButtonElement>('[data-testid="logout-everywhere"]')!;
    expect(button.textContent?.trim()).toBe('Sign out everywhere');
    button.click();
    expect(http.expectOne('/api/auth/logout-all').request.method).toBe('POST');
  });

  it('shows the connection banner when the socket drops, and hides it on reconnect', async () => {
    const { fixture, el } = render('ADMIN');
    socket.fire('connect');
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="connection-banner"]')).toBeNull();
    socket.fire('disconnect', 'transport close');
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="connection-banner"]')?.textContent).toContain('reconnecting');
    socket.fire('connect');
    // The reconnect triggers a REST catch-up of the session lists.
    http.expectOne('/api/agents').flush([]);
    http.expectOne((r) => r.url === '/api/approvals').flush([]);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="connection-banner"]')).toBeNull();
  });
});
