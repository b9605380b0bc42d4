import type { ApprovalStatus } from '@echocenter/contracts';
import type { MessageKey } from '../../core/i18n/messages.en';

/** The label of each approval status, the same in the inbox, its status filter and the Butler's card. */
export const STATUS_KEYS: Record<ApprovalStatus, MessageKey> = {
  PENDING: 'approval.status.PENDING',
  APPROVED: 'approval.status.APPROVED',
  REJECTED: 'approval.status.REJECTED',
  EXPIRED: 'approval.status.EXPIRED',
  RUNNING: 'approval.status.RUNNING',
  SUCCEEDED: 'approval.status.SUCCEEDED',
  FAILED: 'approval.status.FAILED',
  TIMED_OUT: 'approval.status.TIMED_OUT',
};
