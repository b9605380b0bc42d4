import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DeadlineSweeper } from '../../database/deadline-sweeper';
import { AgentQuestionsService } from './agent-questions.service';

/** Every node sweeps overdue questions from the database, so a deadline holds when the asking node is gone. */
@Injectable()
export class QuestionSweeper extends DeadlineSweeper {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly questions: AgentQuestionsService,
  ) {
    super('QuestionSweeper', config.approvals.sweepIntervalMs);
  }

  protected sweep(): Promise<void> {
    return this.questions.sweep();
  }
}
