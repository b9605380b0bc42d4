import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { AgentQuestionsService } from './agent-questions.service';

/** Every node sweeps overdue questions from the database, so a deadline holds when the asking node is gone. */
@Injectable()
export class QuestionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QuestionSweeper');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly questions: AgentQuestionsService) {}

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
      await this.questions.sweep();
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
