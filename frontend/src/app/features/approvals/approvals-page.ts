import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ApprovalStatus } from '@echocenter/contracts';
import { AuthService } from '../../core/auth/auth.service';
import { AgentsStore } from '../../core/data/agents.store';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ApprovalRow } from './approval-row';
import { STATUS_KEYS } from './approval-status-keys';
import { InboxStore, type StatusFilter } from './inbox.store';

const STATUSES = Object.keys(STATUS_KEYS) as ApprovalStatus[];

/**
 * The approver's inbox (/approvals): admins see every request and decide it inline; members see the
 * status of their own. The shell's pending badge opens it.
 */
@Component({
  selector: 'ec-approvals-page',
  imports: [FormsModule, TranslatePipe, ApprovalRow],
  providers: [InboxStore],
  templateUrl: './approvals-page.html',
  styleUrl: './approvals-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApprovalsPage {
  protected readonly store = inject(InboxStore);
  protected readonly auth = inject(AuthService);
  protected readonly agents = inject(AgentsStore);
  protected readonly statuses = STATUSES;
  protected readonly statusKeys = STATUS_KEYS;
  /** Agents to filter by: the fleet, plus any agent named by a request but gone since. */
  protected readonly agentOptions = computed(() => {
    const byId = new Map(this.agents.agents().map((a) => [a.id, a.name]));
    for (const a of this.store.rows()) if (!byId.has(a.agentId)) byId.set(a.agentId, a.agentName);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  });

  constructor() {
    this.agents.load();
    this.store.loadUsers();
    this.store.load();
  }

  protected setStatus(status: StatusFilter): void {
    this.store.setFilters({ status });
  }

  protected setAgent(value: number | null): void {
    this.store.setFilters({ agentId: value });
  }

  protected setRequester(value: number | null): void {
    this.store.setFilters({ requestedBy: value });
  }
}
