import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Approval } from './approval.entity';

/**
 * The moments another feature may record something about, inside the transaction that makes them true:
 * `requested` (opened PENDING), `expiring` (the warning is due), `decided` (APPROVED, REJECTED or EXPIRED),
 * `finished` (its command ended: SUCCEEDED, FAILED, TIMED_OUT).
 */
export type ApprovalMoment = 'requested' | 'expiring' | 'decided' | 'finished';

export interface ApprovalTxEvent {
  moment: ApprovalMoment;
  /** The row as the transaction sees it after the change. */
  approval: Approval;
}

/** Writes with `em` only: what it writes commits or rolls back with the approval's change. */
export type ApprovalTxListener = (em: EntityManager, event: ApprovalTxEvent) => Promise<void>;

/**
 * Lets a feature (the notifications outbox) write in the same transaction as an approval's change,
 * without the approvals module knowing who listens or what they write. A listener that throws rolls the
 * change back, so listeners must only write rows, never call out.
 */
@Injectable()
export class ApprovalTxHooks {
  private readonly listeners: ApprovalTxListener[] = [];

  register(listener: ApprovalTxListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  async run(em: EntityManager, event: ApprovalTxEvent): Promise<void> {
    for (const listener of this.listeners) await listener(em, event);
  }
}
