import type { ApprovalStatus } from '@echocenter/contracts';
import type { AgentCommand } from '../commands/agent-command.entity';
import type { Approval } from './approval.entity';

/**
 * An approval was opened (`from` null) or moved from one status to another: DomainEvents 'approvals.changed'.
 * Only ApprovalTransitions emits it (and 'approvals.settled'), once its conditional update committed.
 */
export interface ApprovalChanged {
  approval: Approval;
  from: ApprovalStatus | null;
}

/** An approval that reached an end the thread must hear about (rejected, expired, or its command done): 'approvals.settled'. */
export interface ApprovalSettled {
  approval: Approval;
  command: AgentCommand | null;
}
