import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../auth/auth.service';
import { AgentsStore } from '../data/agents.store';
import { ApprovalsStore } from '../data/approvals.store';
import { ButlerStore } from '../data/butler.store';
import { CommandOutputStore } from '../data/command-output.store';
import { TranslatePipe } from '../i18n/translate.pipe';
import { SocketService } from '../realtime/socket.service';
import { ConnectionBanner } from './connection-banner';
import { Preferences } from './preferences';
import { Icon } from '../../shared/icon';

/**
 * The signed-in frame. It provides the session-scoped services, so logging out (which destroys the
 * shell) closes the socket and drops every cached list.
 */
@Component({
  selector: 'ec-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe, ConnectionBanner, Preferences, Icon],
  providers: [SocketService, AgentsStore, ApprovalsStore, ButlerStore, CommandOutputStore],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly auth = inject(AuthService);
  protected readonly approvals = inject(ApprovalsStore);
  protected readonly pending = computed(() => this.approvals.pendingCount());

  constructor() {
    inject(AgentsStore).load();
    inject(ButlerStore).load();
    this.approvals.load();
    // The stored user may be stale (role changed, account disabled); a 401 here ends the session.
    this.auth.refreshUser().catch(() => undefined);
  }

  protected signOutEverywhere(): void {
    // On failure the session stays; a 401 has already signed this tab out (auth interceptor).
    this.auth.logoutEverywhere().catch(() => undefined);
  }
}
