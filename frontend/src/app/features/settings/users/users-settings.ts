import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { UserDto } from '@echocenter/contracts';
import { AuthService } from '../../../core/auth/auth.service';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { oneOf } from '../../../shared/form-values';
import { HUMAN_ROLES, UsersSettingsStore } from './users-settings.store';

/** Human accounts: create, change role, reset password, disable, delete. */
@Component({
  selector: 'ec-users-settings',
  imports: [TranslatePipe, ConfirmButton],
  providers: [UsersSettingsStore],
  templateUrl: './users-settings.html',
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersSettings {
  protected readonly store = inject(UsersSettingsStore);
  protected readonly auth = inject(AuthService);
  protected readonly i18n = inject(I18nService);

  constructor() {
    this.store.load();
  }

  protected setNewRole(value: string): void {
    const role = oneOf(HUMAN_ROLES, value);
    if (role) this.store.setField('role', role);
  }

  protected setRole(user: UserDto, value: string): void {
    const role = oneOf(HUMAN_ROLES, value);
    if (role) void this.store.update(user, { role });
  }
}
