import { ChangeDetectionStrategy, Component, signal } from '@angular/core';

@Component({
  selector: 'ec-login-page',
  template: `
    <main class="login" data-testid="login-page">
      <h1>EchoCenter</h1>
      <form (submit)="$event.preventDefault(); submitted.set(true)">
        <label>Username <input name="username" data-testid="login-username" autocomplete="username" /></label>
        <label>Password <input name="password" type="password" data-testid="login-password" autocomplete="current-password" /></label>
        <button type="submit" data-testid="login-submit">Sign in</button>
      </form>
      @if (submitted()) {
        <p role="status">Sign-in is not wired yet.</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  protected readonly submitted = signal(false);
}
