import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { Repository } from 'typeorm';
import { DomainEventBus } from '../events/domain-event-bus';
import { HubMetrics } from '../observability/hub-metrics';
import { endSpan, HubTracer } from '../observability/hub-tracer';
import { ApprovalMeter } from '../observability/work-meters';
import { Approval } from './approval.entity';

/**
 * Approvals in the metrics: opened, decided (channel SOCKET/REST/RULE, or NONE for an expiry) with the
 * time to decision, each counted once by the node that made the change; pending read at scrape time.
 * In traces: an `approval.wait` span from opening to decision, in the approval's own trace (HubTracer).
 */
@Injectable()
export class ApprovalTelemetry implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    private readonly events: DomainEventBus,
    private readonly meter: ApprovalMeter,
    private readonly metrics: HubMetrics,
    private readonly tracer: HubTracer,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
  ) {}

  onModuleInit(): void {
    this.metrics.countPendingWith(() => this.approvals.count({ where: { status: 'PENDING' } }));
    this.subscription = this.events.on('approvals.changed', 'approvals.telemetry', ({ approval, from }) => {
      if (from === null) this.meter.created();
      if (from === 'PENDING' && approval.status !== 'PENDING') {
        const decidedAt = approval.decidedAt ?? new Date();
        const channel = approval.decisionChannel ?? 'NONE';
        this.meter.decidedAfter(
          channel,
          approval.status,
          Math.max(0, decidedAt.getTime() - approval.createdAt.getTime()) / 1000,
        );
        const span = this.tracer.start('approval.wait', {
          parent: this.tracer.approvalContext(approval.id),
          startTime: approval.createdAt,
          attributes: {
            'echocenter.approval.id': approval.id,
            'echocenter.approval.outcome': approval.status,
            'echocenter.approval.channel': channel,
            'echocenter.agent.name': approval.agentName,
          },
        });
        endSpan(span, undefined, decidedAt);
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
