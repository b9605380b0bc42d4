import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import type { AllowRuleScope, ApprovalStatus } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError } from '../../core/api/api-error';
import { ButlerApi } from '../../core/api/butler.api';
import { AuthService } from '../../core/auth/auth.service';
import { ClockService } from '../../core/clock.service';
import { ApprovalsStore, type ApprovalView } from '../../core/data/approvals.store';
import { ButlerStore } from '../../core/data/butler.store';
import { CommandOutputStore } from '../../core/data/command-output.store';
import { I18nService } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ApprovalOutcome } from '../approvals/approval-outcome';
import { STATUS_KEYS } from '../approvals/approval-status-keys';
import { ViaToken } from '../approvals/via-token';
import { AllowRuleScopeForm, RULE_DAYS_DEFAULT, ruleScope } from './allow-rule-scope';
import { Icon } from '../../shared/icon';
import { jsonToMarkdown } from '../../shared/chat/json-markdown';
import { Markdown } from '../../shared/chat/markdown';

/** The card's title follows the request through its life: requested, approved, running, then how it ended. */
export const HEADING_KEYS: Record<ApprovalStatus, MessageKey> = {
  PENDING: 'approval.heading.PENDING',
  APPROVED: 'approval.heading.APPROVED',
  REJECTED: 'approval.heading.REJECTED',
  EXPIRED: 'approval.heading.EXPIRED',
  RUNNING: 'approval.heading.RUNNING',
  SUCCEEDED: 'approval.heading.SUCCEEDED',
  FAILED: 'approval.heading.FAILED',
  TIMED_OUT: 'approval.heading.TIMED_OUT',
};

/** A Butler request to run a side-effecting command: decide it here, then watch it run. */
@Component({
  selector: 'ec-approval-card',
  imports: [TranslatePipe, AllowRuleScopeForm, Icon, Markdown, ApprovalOutcome, ViaToken],
  templateUrl: './approval-card.html',
  styleUrls: ['../approvals/approval-view.css', './approval-card.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApprovalCard {
  private readonly store = inject(ApprovalsStore);
  private readonly butler = inject(ButlerStore);
  private readonly clock = inject(ClockService);
  private readonly outputs = inject(CommandOutputStore);
  private readonly api = inject(ButlerApi);
  protected readonly auth = inject(AuthService);
  protected readonly i18n = inject(I18nService);
  readonly approval = input.required<ApprovalView>();

  protected readonly statusKeys = STATUS_KEYS;
  protected readonly headingKeys = HEADING_KEYS;
  protected readonly editing = signal(false);
  protected readonly command = signal('');
  protected readonly reason = signal('');
  protected readonly remember = signal(false);
  protected readonly rulePattern = signal('');
  protected readonly ruleRequesterOnly = signal(false);
  protected readonly ruleDays = signal(RULE_DAYS_DEFAULT);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly secondsLeft = computed(() =>
    Math.max(0, Math.ceil((new Date(this.approval().expiresAt).getTime() - this.clock.now()) / 1000)),
  );
  /** Pending and not past its deadline by our clock (the server decides for real). */
  protected readonly open = computed(() => this.approval().status === 'PENDING' && this.secondsLeft() > 0);
  /** Admins decide any request; a member only their own, and only where the hub lets requesters decide. */
  protected readonly canDecide = computed(
    () =>
      this.open() &&
      (this.auth.isAdmin() ||
        (this.approval().requestedBy === this.auth.user()?.id && this.butler.butler()?.requesterMayApprove === true)),
  );
  protected readonly countdown = computed(() => {
    const s = this.secondsLeft();
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  });
  protected readonly edited = computed(() => {
    const a = this.approval();
    const ran = a.executedCommand ?? a.command;
    return a.proposedCommand && ran !== a.proposedCommand;
  });
  /** A destructive command asks every time: no "always allow" for it (the server refuses one too). */
  protected readonly mayRemember = computed(() => this.auth.isAdmin() && this.approval().policy !== 'DESTRUCTIVE');
  /** Only what the admin changed from the narrow default; the server fills in the rest. */
  protected readonly ruleScope = computed<AllowRuleScope | null>(() =>
    ruleScope({
      command: this.command() || this.approval().command,
      requesterId: this.approval().requestedBy,
      pattern: this.rulePattern(),
      requesterOnly: this.ruleRequesterOnly(),
      days: this.ruleDays(),
    }),
  );
  /**
   * Its command is on its way (waiting for its agent, or running): the requester or an admin may cancel it,
   * as the server allows (POST /api/commands/:id/cancel). The approval then ends FAILED, pushed live.
   */
  protected readonly canCancel = computed(() => {
    const a = this.approval();
    return (
      (a.status === 'APPROVED' || a.status === 'RUNNING') &&
      a.commandId !== null &&
      (this.auth.isAdmin() || a.requestedBy === this.auth.user()?.id)
    );
  });
  /** What the running command streams (e.g. the Ops-Runner's remote output), live. */
  protected readonly liveOutput = computed(() =>
    ['APPROVED', 'RUNNING'].includes(this.approval().status) ? this.outputs.output(this.approval().commandId) : '',
  );
  /**
   * Arguments that are JSON (`write_config {"port": 8080}`) read like the chat shows JSON: a key/value table, a list,
   * or indented code, under the command's name. Anything else stays the command line as written.
   */
  protected readonly jsonArgs = computed(() => {
    const a = this.approval();
    const text = (a.executedCommand ?? a.command).trim();
    const space = text.search(/\s/);
    if (space < 0) return null;
    const args = text.slice(space + 1).trim();
    return /^[{[]/.test(args) && jsonToMarkdown(args) !== null ? { name: text.slice(0, space), args } : null;
  });
  protected readonly finished = computed(() => ['SUCCEEDED', 'FAILED', 'TIMED_OUT'].includes(this.approval().status));

  protected startEdit(): void {
    this.command.set(this.approval().command);
    this.editing.set(true);
  }

  private rule(): { rule?: AllowRuleScope } {
    const scope = this.ruleScope();
    return scope ? { rule: scope } : {};
  }

  protected async cancel(): Promise<void> {
    const id = this.approval().commandId;
    if (this.busy() || !this.canCancel() || id === null) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.api.cancelCommand(
          id,
          `cancelled by ${this.auth.user()?.username ?? 'the requester'} from the approval card`,
        ),
      );
    } catch (err) {
      this.error.set(toUiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async decide(approved: boolean): Promise<void> {
    if (this.busy() || !this.canDecide()) return;
    this.busy.set(true);
    this.error.set(null);
    const edited = this.editing() ? this.command().trim() : '';
    try {
      await this.store.decide(this.approval().id, {
        approved,
        ...(approved && edited && edited !== this.approval().command ? { command: edited } : {}),
        ...(this.reason().trim() ? { reason: this.reason().trim() } : {}),
        ...(approved && this.remember() && this.mayRemember() ? { remember: 'always' as const, ...this.rule() } : {}),
      });
      this.editing.set(false);
    } catch (err) {
      const e = toUiError(err);
      this.error.set(e.code === 'CONFLICT' ? this.i18n.t('approval.conflict') : e.message);
    } finally {
      this.busy.set(false);
    }
  }
}
