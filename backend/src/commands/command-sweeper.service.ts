import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CommandsService } from './commands.service';

/** Every node sweeps overdue commands from the database, so a deadline holds across restarts and nodes. */
@Injectable()
export class CommandSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CommandSweeper');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly commands: CommandsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.approvals.sweepIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.commands.sweep();
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
