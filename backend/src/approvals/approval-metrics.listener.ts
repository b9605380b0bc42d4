import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { Repository } from 'typeorm';
import { HubMetrics } from '../observability/hub-metrics';
import { ApprovalMeter } from '../observability/work-meters';
import { ApprovalEvents } from './approval-events';
import { Approval } from './approval.entity';

/**
 * Approvals in the metrics: opened, decided (channel SOCKET/REST/RULE, or NONE for an expiry) with the
 * time to decision, each counted once by the node that made the change; pending read at scrape time.
 */
@Injectable()
export class ApprovalMetricsListener implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    private readonly events: ApprovalEvents,
    private readonly meter: ApprovalMeter,
    private readonly metrics: HubMetrics,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
  ) {}

  onModuleInit(): void {
    this.metrics.countPendingWith(() => this.approvals.count({ where: { status: 'PENDING' } }));
    this.subscription = this.events.changed$.subscribe(({ approval, from }) => {
      if (from === null) this.meter.created();
      if (from === 'PENDING' && approval.status !== 'PENDING') {
        const decidedAt = approval.decidedAt ?? new Date();
        this.meter.decidedAfter(approval.decisionChannel ?? 'NONE', approval.status, Math.max(0, decidedAt.getTime() - approval.createdAt.getTime()) / 1000);
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
