import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DomainEventBus } from '../events/domain-event-bus';
import { endSpan, HubTracer } from '../observability/hub-tracer';
import { CommandMeter } from '../observability/work-meters';

/**
 * Commands in the metrics: each end counted once, by the node whose conditional update ended it. In
 * traces: a `command.run` span from sending to its end, in its approval's trace when it had one.
 */
@Injectable()
export class CommandTelemetry implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    private readonly events: DomainEventBus,
    private readonly meter: CommandMeter,
    private readonly tracer: HubTracer,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.on('commands.finished', 'commands.telemetry', (cmd) => {
      const end = cmd.finishedAt ?? new Date();
      this.meter.finished(cmd.status, Math.max(0, end.getTime() - cmd.createdAt.getTime()) / 1000);
      const span = this.tracer.start('command.run', {
        parent: cmd.approvalId === null ? undefined : this.tracer.approvalContext(cmd.approvalId),
        startTime: cmd.createdAt,
        attributes: {
          'echocenter.command.id': cmd.id,
          'echocenter.command.status': cmd.status,
          'echocenter.agent.name': cmd.agentName,
          ...(cmd.approvalId === null ? {} : { 'echocenter.approval.id': cmd.approvalId }),
        },
      });
      endSpan(span, cmd.status === 'SUCCEEDED' ? undefined : cmd.status, end);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
