import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ApprovalDecisionRequest, ApprovalStatus, CommandPolicy } from '@echocenter/contracts';
import { AuthService } from '../../core/auth/auth.service';
import { CommandOutputStore } from '../../core/data/command-output.store';
import { ClockService } from '../../core/clock.service';
import { I18nService } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { RULE_DAYS_DEFAULT, ruleScope } from '../butler/allow-rule-scope';
import { InboxStore, type InboxApproval } from './inbox.store';
import { hasHiddenCharacters } from './visible-text';
import { VisibleTextView } from './visible-text-view';
import { Icon } from '../../shared/icon';
import { ApprovalOutcome } from './approval-outcome';
import { ViaToken } from './via-token';
import { STATUS_KEYS } from './approval-status-keys';

const POLICY_KEYS: Record<CommandPolicy, MessageKey> = {
  READ_ONLY: 'inbox.policy.READ_ONLY',
  NEEDS_APPROVAL: 'inbox.policy.NEEDS_APPROVAL',
  DESTRUCTIVE: 'inbox.policy.DESTRUCTIVE',
};

type Mode = 'idle' | 'edit' | 'reject' | 'always';

/** One request in the inbox: what would run, for whom and why; an admin decides it inline. */
@Component({
  selector: 'ec-approval-row',
  imports: [FormsModule, TranslatePipe, VisibleTextView, Icon, ApprovalOutcome, ViaToken],
  templateUrl: './approval-row.html',
  styleUrls: ['./approval-view.css', './approval-row.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApprovalRow {
  private readonly store = inject(InboxStore);
  private readonly clock = inject(ClockService);
  protected readonly auth = inject(AuthService);
  protected readonly i18n = inject(I18nService);
  readonly approval = input.required<InboxApproval>();

  protected readonly statusKeys = STATUS_KEYS;
  protected readonly policyKeys = POLICY_KEYS;
  protected readonly mode = signal<Mode>('idle');
  protected readonly editedCommand = signal('');
  protected readonly reason = signal('');
  protected readonly rulePattern = signal('');
  protected readonly ruleOnlyRequester = signal(false);
  protected readonly ruleDays = signal(RULE_DAYS_DEFAULT);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ text: string; conflict: boolean } | null>(null);

  private readonly outputs = inject(CommandOutputStore);
  /** What the approved command streams while it runs (the hub sends it to its approver too). */
  protected readonly liveOutput = computed(() =>
    ['APPROVED', 'RUNNING'].includes(this.approval().status) ? this.outputs.output(this.approval().commandId) : '',
  );
  protected readonly requester = computed(() => this.store.userName(this.approval().requestedBy));
  protected readonly shownCommand = computed(() => this.approval().executedCommand ?? this.approval().command);
  protected readonly hidden = computed(
    () => hasHiddenCharacters(this.shownCommand()) || hasHiddenCharacters(this.approval().proposedCommand ?? ''),
  );
  protected readonly context = computed(() => this.store.context(this.approval().id));
  protected readonly contextMessages = computed(() => {
    const c = this.context();
    return c?.state === 'ready' ? c.messages : null;
  });
  protected readonly secondsLeft = computed(() =>
    Math.max(0, Math.ceil((new Date(this.approval().expiresAt).getTime() - this.clock.now()) / 1000)),
  );
  protected readonly timeLeft = computed(() => {
    const s = this.secondsLeft();
    const h = Math.floor(s / 3600);
    const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
    return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
  });
  protected readonly waiting = computed(() => this.approval().status === 'PENDING');
  /** Only admins decide here; the server has the last word on the deadline. */
  protected readonly canDecide = computed(() => this.auth.isAdmin() && this.waiting() && this.secondsLeft() > 0);
  protected readonly mayRemember = computed(() => this.approval().policy !== 'DESTRUCTIVE');

  constructor() {
    // The conversation behind a waiting request is what an approver reads first: fetch it at once.
    effect(() => {
      const a = this.approval();
      if (a.status === 'PENDING' && a.conversationId !== null) this.store.loadContext(a.id);
    });
  }

  protected toggleContext(open: boolean): void {
    // Opened again while it waits: read the thread again, it may have grown.
    if (open) this.store.loadContext(this.approval().id, this.waiting());
  }

  protected setMode(mode: Mode): void {
    this.error.set(null);
    if (mode === 'edit') this.editedCommand.set(this.approval().command);
    this.mode.set(mode);
  }

  protected approve(): Promise<void> {
    return this.send({ approved: true });
  }

  protected approveEdited(): Promise<void> {
    const command = this.editedCommand().trim();
    if (!command) return Promise.resolve();
    return this.send({ approved: true, ...(command !== this.approval().command ? { command } : {}) });
  }

  protected reject(): Promise<void> {
    const reason = this.reason().trim();
    return this.send({ approved: false, ...(reason ? { reason } : {}) });
  }

  /** The narrow default (the exact command, anyone, 30 days) sends no `rule`; only a widened one does. */
  protected approveAlways(): Promise<void> {
    const a = this.approval();
    const rule = ruleScope({
      command: a.command,
      requesterId: a.requestedBy,
      pattern: this.rulePattern(),
      requesterOnly: this.ruleOnlyRequester(),
      days: this.ruleDays(),
    });
    return this.send({ approved: true, remember: 'always', ...(rule ? { rule } : {}) });
  }

  private async send(body: ApprovalDecisionRequest): Promise<void> {
    if (this.busy() || !this.canDecide()) return;
    this.busy.set(true);
    this.error.set(null);
    const outcome = await this.store.decide(this.approval().id, body);
    this.busy.set(false);
    if (outcome.ok) {
      this.mode.set('idle');
      return;
    }
    if (!outcome.conflict) return this.error.set({ text: outcome.error.message, conflict: false });
    this.mode.set('idle');
    this.error.set({ text: this.conflictText(outcome.decidedByName, outcome.status), conflict: true });
  }

  private conflictText(by: string | null, status: ApprovalStatus | null): string {
    if (status === 'EXPIRED' || status === 'PENDING') return this.i18n.t('inbox.conflictExpired');
    if (!by) return this.i18n.t('inbox.conflict');
    return this.i18n.t('inbox.conflictBy', { name: by, status: status ? this.i18n.t(STATUS_KEYS[status]) : '?' });
  }
}
