import { Injectable, inject, signal } from '@angular/core';
import type { AccessTokenDto, CreateAccessTokenRequest, CreatedAccessTokenDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AccessTokensApi } from '../../core/api/access-tokens.api';
import { loadState } from '../../shared/load-state';

/** The signed-in user's personal tokens; a created token's secret is held here until dismissed, never stored. */
@Injectable()
export class TokensStore {
  private readonly api = inject(AccessTokensApi);
  readonly tokens = signal<AccessTokenDto[]>([]);
  private readonly state = loadState(false);
  readonly loading = this.state.loading;
  readonly error = this.state.error;
  /** The one moment the secret is visible. */
  readonly created = signal<CreatedAccessTokenDto | null>(null);

  async load(): Promise<void> {
    await this.state.fetch(async () => this.tokens.set(await firstValueFrom(this.api.list())));
  }

  async create(req: CreateAccessTokenRequest): Promise<void> {
    await this.state.run(async () => {
      const token = await firstValueFrom(this.api.create(req));
      this.created.set(token);
      const { token: _secret, ...listed } = token;
      this.tokens.update((list) => [listed, ...list]);
    });
  }

  async revoke(id: number): Promise<void> {
    await this.state.run(async () => {
      await firstValueFrom(this.api.revoke(id));
      this.tokens.update((list) => list.filter((t) => t.id !== id));
      if (this.created()?.id === id) this.created.set(null);
    });
  }
}
