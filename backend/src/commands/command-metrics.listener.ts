import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { CommandMeter } from '../observability/work-meters';
import { CommandsService } from './commands.service';

/** Commands in the metrics: each end counted once, by the node whose conditional update ended it. */
@Injectable()
export class CommandMetricsListener implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(private readonly commands: CommandsService, private readonly meter: CommandMeter) {}

  onModuleInit(): void {
    this.subscription = this.commands.finished$.subscribe((cmd) => {
      const end = cmd.finishedAt ?? new Date();
      this.meter.finished(cmd.status, Math.max(0, end.getTime() - cmd.createdAt.getTime()) / 1000);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
