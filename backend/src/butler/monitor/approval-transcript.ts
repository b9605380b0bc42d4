import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { ApprovalChanged } from '../../approvals/approval-events';
import { DomainEventBus } from '../../events/domain-event-bus';
import { MonitorService } from './monitor.service';

/**
 * Puts each decision on an approval into its agent's transcript, beside the `run:`/`result:` lines the
 * command itself leaves, so the monitor shows why a command ran (who or which rule approved it) and
 * which ones never did (rejected, expired). Provided by ButlerModule: MonitorModule sits below the
 * approvals (commands record into it), so it cannot import them itself.
 */
@Injectable()
export class ApprovalTranscript implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ApprovalTranscript');
  private subscription: Subscription | null = null;

  constructor(
    private readonly events: DomainEventBus,
    private readonly monitor: MonitorService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.on('approvals.changed', 'butler.transcript', (change) => {
      const line = decisionLine(change);
      if (line)
        void this.monitor
          .record(change.approval.agentId, 'TO_AGENT', change.approval.commandId, line)
          .catch((err: Error) => this.logger.warn(`monitor: ${err.message}`));
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}

/** The transcript line of a decision; null for the steps the command's own lines already tell. */
export function decisionLine({ approval: a, from }: ApprovalChanged): string | null {
  const head = `approval #${a.id}`;
  if (a.status === 'APPROVED' && a.decisionChannel === 'RULE')
    return `${head} approved by ${a.decisionReason ?? 'an allow-rule'}: ${a.command}`;
  if (from !== 'PENDING') return null;
  const reason = a.decisionReason ? ` (${a.decisionReason})` : '';
  if (a.status === 'APPROVED')
    return `${head} approved by ${a.decidedByName ?? '?'} via ${a.decisionChannel ?? '?'}${reason}: ${a.command}`;
  if (a.status === 'REJECTED') return `${head} rejected by ${a.decidedByName ?? '?'}${reason}: ${a.command}`;
  if (a.status === 'EXPIRED') return `${head} expired undecided: ${a.command}`;
  return null;
}
