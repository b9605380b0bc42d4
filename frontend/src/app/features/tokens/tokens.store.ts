import { Injectable, inject, signal } from '@angular/core';
import type { AccessTokenDto, CreateAccessTokenRequest, CreatedAccessTokenDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AccessTokensApi } from '../../core/api/access-tokens.api';
import { toUiError } from '../../core/api/api-error';

/** The signed-in user's personal tokens; a created token's secret is held here until dismissed, never stored. */
@Injectable()
export class TokensStore {
  private readonly api = inject(AccessTokensApi);
  readonly tokens = signal<AccessTokenDto[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  /** The one moment the secret is visible. */
  readonly created = signal<CreatedAccessTokenDto | null>(null);

  load(): Promise<void> {
    return this.run(async () => {
      this.loading.set(true);
      try {
        this.tokens.set(await firstValueFrom(this.api.list()));
      } finally {
        this.loading.set(false);
      }
    });
  }

  create(req: CreateAccessTokenRequest): Promise<void> {
    return this.run(async () => {
      const token = await firstValueFrom(this.api.create(req));
      this.created.set(token);
      const { token: _secret, ...listed } = token;
      this.tokens.update((list) => [listed, ...list]);
    });
  }

  revoke(id: number): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.api.revoke(id));
      this.tokens.update((list) => list.filter((t) => t.id !== id));
      if (this.created()?.id === id) this.created.set(null);
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.error.set(null);
    try {
      await action();
    } catch (err) {
      this.error.set(toUiError(err).message);
    }
  }
}
