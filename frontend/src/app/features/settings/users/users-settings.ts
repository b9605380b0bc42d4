import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { HumanRole, UserDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { UsersApi } from '../../../core/api/users.api';
import { AuthService } from '../../../core/auth/auth.service';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';

/** Human accounts: create, change role, reset password, disable, delete. */
@Component({
  selector: 'ec-users-settings',
  imports: [TranslatePipe, ConfirmButton],
  templateUrl: './users-settings.html',
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersSettings {
  private readonly api = inject(UsersApi);
  protected readonly auth = inject(AuthService);
  protected readonly i18n = inject(I18nService);
  protected readonly users = signal<readonly UserDto[]>([]);
  private readonly state = loadState();
  protected readonly loading = this.state.loading;
  protected readonly error = this.state.error;
  protected readonly notice = signal<string | null>(null);
  protected readonly resetFor = signal<number | null>(null);
  protected readonly newUser = signal({ username: '', password: '', role: 'MEMBER' as HumanRole });

  constructor() {
    this.reload();
  }

  protected reload(): void {
    this.state.load(this.api.list(), (users) => this.users.set(users));
  }

  protected setField(field: 'username' | 'password' | 'role', value: string): void {
    this.newUser.update((u) => ({ ...u, [field]: value }));
  }

  protected async create(): Promise<void> {
    const { username, password, role } = this.newUser();
    if (!username.trim() || !password) return;
    await this.run(async () => {
      const user = await firstValueFrom(this.api.create({ username: username.trim(), password, role }));
      this.users.update((list) => [...list, user]);
      this.newUser.set({ username: '', password: '', role: 'MEMBER' });
      this.notice.set(this.i18n.t('users.created', { name: user.username }));
    });
  }

  protected update(user: UserDto, changes: { role?: HumanRole; disabled?: boolean }): Promise<void> {
    return this.run(async () => {
      const updated = await firstValueFrom(this.api.update(user.id, changes));
      this.users.update((list) => list.map((u) => (u.id === user.id ? updated : u)));
    });
  }

  protected async resetPassword(user: UserDto, password: string): Promise<void> {
    if (!password) return;
    await this.run(async () => {
      await firstValueFrom(this.api.update(user.id, { password }));
      this.resetFor.set(null);
      this.notice.set(this.i18n.t('users.passwordReset', { name: user.username }));
    });
  }

  protected remove(user: UserDto): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.api.remove(user.id));
      this.users.update((list) => list.filter((u) => u.id !== user.id));
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.notice.set(null);
    await this.state.run(action);
  }
}
