import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { AccessTokenScope } from '@echocenter/contracts';
import { AuthService } from '../../core/auth/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../shared/confirm-button';
import { oneOf } from '../../shared/form-values';
import { TokenReveal } from '../settings/agents/token-reveal';
import { TokensStore } from './tokens.store';

const EXPIRY_DAYS = [0, 7, 30, 90, 365];
const SCOPES: readonly AccessTokenScope[] = ['read', 'operate'];

/** Personal access tokens: create (shown once), see scope, last use and expiry, revoke. Every user, their own. */
@Component({
  selector: 'ec-tokens-page',
  imports: [TranslatePipe, ConfirmButton, TokenReveal],
  providers: [TokensStore],
  templateUrl: './tokens-page.html',
  styleUrl: '../settings/settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokensPage {
  protected readonly store = inject(TokensStore);
  protected readonly i18n = inject(I18nService);
  protected readonly auth = inject(AuthService);
  protected readonly name = signal('');
  protected readonly scope = signal<AccessTokenScope>('read');
  protected readonly days = signal(90);
  protected readonly expiryChoices = EXPIRY_DAYS;
  protected readonly mcpUrl = `${location.origin}/mcp`;

  constructor() {
    void this.store.load();
  }

  protected setScope(value: string): void {
    const scope = oneOf(SCOPES, value);
    if (scope) this.scope.set(scope);
  }

  protected async create(): Promise<void> {
    const name = this.name().trim();
    if (!name) return;
    await this.store.create({ name, scope: this.scope(), ...(this.days() ? { expiresInDays: this.days() } : {}) });
    if (!this.store.error()) this.name.set('');
  }
}
