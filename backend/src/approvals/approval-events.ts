import { Inject, Injectable } from '@nestjs/common';
import { filter, map, Observable, Subject } from 'rxjs';
import type { ApprovalStatus } from '@echocenter/contracts';
import type { AgentCommand } from '../commands/agent-command.entity';
import type { Approval } from './approval.entity';

/** An approval was opened (`from` null) or moved from one status to another. */
export interface ApprovalChanged {
  approval: Approval;
  from: ApprovalStatus | null;
}

/** An approval that reached an end the thread must hear about (rejected, expired, or its command done). */
export interface ApprovalSettled {
  approval: Approval;
  command: AgentCommand | null;
}

export type ApprovalEvent = ({ type: 'changed' } & ApprovalChanged) | ({ type: 'settled' } & ApprovalSettled);

/**
 * Where ApprovalTransitions writes its events. Provided by ApprovalsModule and not exported, so only the
 * approvals module can emit; other features read ApprovalEvents.
 */
export const APPROVAL_EVENT_SINK = Symbol('APPROVAL_EVENT_SINK');

export const approvalEventSinkProvider = { provide: APPROVAL_EVENT_SINK, useFactory: () => new Subject<ApprovalEvent>() };

/** The approvals' domain events, read-only: the notifier, the Butler and the monitor listen here. */
@Injectable()
export class ApprovalEvents {
  /** Every status change, in the order they happened on this node (opening included). */
  readonly changed$: Observable<ApprovalChanged>;
  /** Ends the requester's thread is told about; emitted right after the matching `changed$`. */
  readonly settled$: Observable<ApprovalSettled>;

  constructor(@Inject(APPROVAL_EVENT_SINK) sink: Subject<ApprovalEvent>) {
    const events = sink.asObservable();
    this.changed$ = events.pipe(
      filter((e): e is Extract<ApprovalEvent, { type: 'changed' }> => e.type === 'changed'),
      map(({ approval, from }) => ({ approval, from })),
    );
    this.settled$ = events.pipe(
      filter((e): e is Extract<ApprovalEvent, { type: 'settled' }> => e.type === 'settled'),
      map(({ approval, command }) => ({ approval, command })),
    );
  }
}
