import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { PresenceService } from '../gateway/presence.service';
import { RealtimeService } from '../gateway/realtime.service';
import { ADMINS_ROOM } from '../gateway/socket-types';
import type { AgentCommand } from '../commands/agent-command.entity';
import type { Approval } from './approval.entity';
import { toApprovalDto, toRequestedEvent } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

/** An approval that reached an end the thread must hear about (rejected, expired, or its command done). */
export interface ApprovalSettled {
  approval: Approval;
  command: AgentCommand | null;
}

/** Pushes approval events to approvers (admins) and the requester; the domain event for the Butler. */
@Injectable()
export class ApprovalNotifier {
  readonly settled$ = new Subject<ApprovalSettled>();

  constructor(private readonly settings: SettingsService, private readonly realtime: RealtimeService, private readonly presence: PresenceService) {}

  /** Set by the update that ends an approval: this node owes its thread the follow-up (settled$). */
  get followupNode(): string {
    return this.presence.nodeId;
  }

  requested(a: Approval): void {
    this.realtime.emit(this.approversAndRequester(a), 'approval:requested', toRequestedEvent(a));
  }

  updated(a: Approval): void {
    const approval = toApprovalDto(a);
    const event = { id: a.id, status: a.status, decidedBy: approval.decidedBy, decidedAt: approval.decidedAt, result: approval.result, approval };
    this.realtime.emit(this.approversAndRequester(a), 'approval:updated', event);
  }

  /** Only those who may decide are warned. */
  expiring(a: Approval): void {
    const to = this.settings.approvals().requesterMayApprove ? this.approversAndRequester(a) : { rooms: [ADMINS_ROOM] };
    this.realtime.emit(to, 'approval:expiring', { id: a.id, expiresAt: a.expiresAt.toISOString() });
  }

  // One broadcast to both rooms, so an admin who asked gets each event once.
  private approversAndRequester(a: Approval) {
    return { rooms: [ADMINS_ROOM], actors: [a.requestedBy] };
  }
}
