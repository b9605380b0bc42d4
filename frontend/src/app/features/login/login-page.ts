import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import { toUiError, type UiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { Preferences } from '../../core/layout/preferences';
import { loginErrorKey } from './login-errors';

@Component({
  selector: 'ec-login-page',
  imports: [TranslatePipe, Preferences],
  templateUrl: './login-page.html',
  styleUrl: './login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  /** Query parameters bound by the router. */
  readonly reason = input<string>();
  readonly returnUrl = input<string>();

  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<UiError | null>(null);
  protected readonly errorKey = computed(() => {
    const e = this.error();
    return e ? loginErrorKey(e) : null;
  });

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (!this.username().trim() || !this.password()) {
      this.error.set({ statusCode: 400, code: 'VALIDATION_FAILED', message: '' });
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login({ username: this.username().trim(), password: this.password() });
      const target = this.returnUrl();
      await this.router.navigateByUrl(target && target.startsWith('/') && !target.startsWith('/login') ? target : '/');
    } catch (err) {
      this.error.set(toUiError(err));
      this.password.set('');
    } finally {
      this.busy.set(false);
    }
  }
}
