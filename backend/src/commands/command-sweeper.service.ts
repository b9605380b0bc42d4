import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DeadlineSweeper } from '../database/deadline-sweeper';
import { CommandsService } from './commands.service';

/** Every node sweeps overdue commands from the database, so a deadline holds across restarts and nodes. */
@Injectable()
export class CommandSweeper extends DeadlineSweeper {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly commands: CommandsService,
  ) {
    super('CommandSweeper', config.approvals.sweepIntervalMs);
  }

  protected sweep(): Promise<void> {
    return this.commands.sweep();
  }
}
