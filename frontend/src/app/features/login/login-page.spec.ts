import { TestBed } from '@angular/core/testing';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  it('renders the sign-in form', () => {
    const fixture = TestBed.createComponent(LoginPage);
    fixture.detectChanges();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[data-testid="login-submit"]')?.textContent).toContain('Sign in');
    expect(el.querySelector('[role="status"]')).toBeNull();
  });
});
