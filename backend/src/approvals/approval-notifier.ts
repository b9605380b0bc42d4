import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DomainEventBus } from '../events/domain-event-bus';
import { RealtimeService } from '../gateway/realtime.service';
import { ADMINS_ROOM } from '../gateway/socket-types';
import type { Approval } from './approval.entity';
import { toApprovalDto, toRequestedEvent } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

/** Pushes approval events to approvers (admins) and the requester, as the transitions happen. */
@Injectable()
export class ApprovalNotifier implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly realtime: RealtimeService,
    private readonly events: DomainEventBus,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.on('approvals.changed', 'approvals.notifier', ({ approval, from }) => {
      // One opened by a rule is told by its RUNNING update, right after; nobody has to decide it.
      if (from === null) {
        if (approval.status === 'PENDING') this.requested(approval);
      } else this.updated(approval);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Only those who may decide are warned. */
  expiring(a: Approval): void {
    const to = this.settings.approvals().requesterMayApprove ? this.approversAndRequester(a) : { rooms: [ADMINS_ROOM] };
    this.realtime.emit(to, 'approval:expiring', { id: a.id, expiresAt: a.expiresAt.toISOString() });
  }

  private requested(a: Approval): void {
    this.realtime.emit(this.approversAndRequester(a), 'approval:requested', toRequestedEvent(a));
  }

  private updated(a: Approval): void {
    const approval = toApprovalDto(a);
    const event = {
      id: a.id,
      status: a.status,
      decidedBy: approval.decidedBy,
      decidedAt: approval.decidedAt,
      result: approval.result,
      approval,
    };
    this.realtime.emit(this.approversAndRequester(a), 'approval:updated', event);
  }

  // One broadcast to both rooms, so an admin who asked gets each event once.
  private approversAndRequester(a: Approval) {
    return { rooms: [ADMINS_ROOM], actors: [a.requestedBy] };
  }
}
