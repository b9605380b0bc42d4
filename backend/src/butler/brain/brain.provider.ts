import type { Provider } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { BRAIN, type Brain } from './brain';
import { OfflineBrain } from './offline-brain';
import { OpenAiBrain } from './openai-brain';

/** A model when BUTLER_BASE_URL and BUTLER_MODEL are set; otherwise (the default install) the offline brain. */
export const brainProvider: Provider<Brain> = {
  provide: BRAIN,
  inject: [APP_CONFIG, AgentsService],
  useFactory: (config: AppConfig, agents: AgentsService): Brain =>
    config.butler.baseUrl && config.butler.model ? new OpenAiBrain(config.butler, () => agents.list()) : new OfflineBrain(),
};
