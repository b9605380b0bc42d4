import { Injectable, inject, signal } from '@angular/core';
import { AccessTokensApi } from '../../core/api/access-tokens.api';
import { AuthService } from '../../core/auth/auth.service';

/**
 * The names of the signed-in user's own personal access tokens, read once per user when an approval says
 * it came through a token. Other people's tokens are not listed to anyone (GET /api/access-tokens is the
 * caller's own), so those show by id.
 */
@Injectable({ providedIn: 'root' })
export class OwnTokenNames {
  private readonly api = inject(AccessTokensApi);
  private readonly auth = inject(AuthService);
  /** Whose tokens were read, with their names: another user signing in on this console reads their own. */
  private readonly loaded = signal<{ user: number; names: ReadonlyMap<number, string> } | null>(null);
  private requestedFor: number | null = null;

  /**
   * The token's name when it is one of the viewer's own, else null (revoked ones are gone from the list).
   * Read from templates' computeds: the first call only starts the request, whose answer is written later.
   */
  name(id: number): string | null {
    const me = this.auth.user()?.id ?? null;
    if (me === null) return null;
    if (this.requestedFor !== me) {
      this.requestedFor = me;
      // A failed read just leaves the ids showing.
      this.api.list().subscribe({
        next: (list) => {
          if (this.requestedFor === me) this.loaded.set({ user: me, names: new Map(list.map((t) => [t.id, t.name])) });
        },
        error: () => undefined,
      });
    }
    const loaded = this.loaded();
    return loaded?.user === me ? (loaded.names.get(id) ?? null) : null;
  }
}
