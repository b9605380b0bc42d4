import { Injectable, inject, signal } from '@angular/core';
import type { HumanRole, UserDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { UsersApi } from '../../../core/api/users.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { loadState } from '../../../shared/load-state';

export const HUMAN_ROLES: readonly HumanRole[] = ['MEMBER', 'ADMIN'];

export interface NewUser {
  username: string;
  password: string;
  role: HumanRole;
}

const EMPTY_USER: NewUser = { username: '', password: '', role: 'MEMBER' };

/**
 * Settings → Users: the human accounts, the new-account form, which row's password reset is open, and the
 * last success (notice) or failure (error). Scoped to the tab.
 */
@Injectable()
export class UsersSettingsStore {
  private readonly api = inject(UsersApi);
  private readonly i18n = inject(I18nService);
  private readonly list = signal<readonly UserDto[]>([]);
  private readonly state = loadState();

  readonly users = this.list.asReadonly();
  readonly loading = this.state.loading.asReadonly();
  readonly error = this.state.error.asReadonly();
  readonly notice = signal<string | null>(null);
  /** The user whose password-reset form is open. */
  readonly resetFor = signal<number | null>(null);
  readonly newUser = signal<NewUser>(EMPTY_USER);

  load(): void {
    this.state.load(this.api.list(), (users) => this.list.set(users));
  }

  setField<K extends keyof NewUser>(field: K, value: NewUser[K]): void {
    this.newUser.update((u) => ({ ...u, [field]: value }));
  }

  /** Creates the account from the form (a name and a password needed), then empties the form. */
  async create(): Promise<void> {
    const { username, password, role } = this.newUser();
    if (!username.trim() || !password) return;
    await this.run(async () => {
      const user = await firstValueFrom(this.api.create({ username: username.trim(), password, role }));
      this.list.update((list) => [...list, user]);
      this.newUser.set(EMPTY_USER);
      this.notice.set(this.i18n.t('users.created', { name: user.username }));
    });
  }

  update(user: UserDto, changes: { role?: HumanRole; disabled?: boolean }): Promise<void> {
    return this.run(async () => {
      const updated = await firstValueFrom(this.api.update(user.id, changes));
      this.list.update((list) => list.map((u) => (u.id === user.id ? updated : u)));
    });
  }

  async resetPassword(user: UserDto, password: string): Promise<void> {
    if (!password) return;
    await this.run(async () => {
      await firstValueFrom(this.api.update(user.id, { password }));
      this.resetFor.set(null);
      this.notice.set(this.i18n.t('users.passwordReset', { name: user.username }));
    });
  }

  remove(user: UserDto): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.api.remove(user.id));
      this.list.update((list) => list.filter((u) => u.id !== user.id));
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.notice.set(null);
    await this.state.run(action);
  }
}
