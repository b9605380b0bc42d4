import { Injectable, type Provider } from '@nestjs/common';
import type { AgentDto } from '@echocenter/contracts';
import { ActorsService } from '../../actors/actors.service';
import { toAgentDto } from '../../agents/agent.mapper';
import { SettingsService } from '../../settings/settings.service';
import type { ButlerTools } from '../tools/butler-tools';
import { BRAIN, type Brain, type BrainInput, type BrainMessage, type ReplySink } from './brain';
import { OfflineBrain } from './offline-brain';
import { OpenAiBrain } from './openai-brain';

/**
 * The brain the runtime settings call for, picked per turn: a model when a base URL and a model are set
 * (environment or the admin's settings), else the offline brain. A settings change takes effect at the
 * next turn on every node; the SDK client is kept while its settings stay the same.
 */
@Injectable()
export class BrainRouter implements Brain {
  private readonly offline = new OfflineBrain();
  private model: { key: string; brain: OpenAiBrain } | null = null;
  private fleetRead: Promise<AgentDto[]> | null = null;

  constructor(private readonly settings: SettingsService, private readonly actors: ActorsService) {}

  get name(): string {
    return this.current().name;
  }

  current(): Brain {
    const butler = this.settings.butler();
    if (!butler.baseUrl || !butler.model) return this.offline;
    const key = JSON.stringify([butler.baseUrl, butler.model, butler.apiKey, butler.timeoutMs, butler.maxToolRounds]);
    if (this.model?.key !== key) this.model = { key, brain: new OpenAiBrain(butler, () => this.fleet()) };
    return this.model.brain;
  }

  /**
   * The fleet for system prompts. Turns that start while a read is in flight share it: under load that
   * collapses many identical queries into one, and a read started after a change still sees the change.
   */
  private fleet(): Promise<AgentDto[]> {
    if (!this.fleetRead) {
      // One query: the prompt needs names, presence and cards, not credentials.
      const read = this.actors.repo.find({ where: { type: 'AGENT' }, order: { id: 'ASC' } }).then((rows) => rows.map((a) => toAgentDto(a, null)));
      this.fleetRead = read;
      const clear = () => {
        if (this.fleetRead === read) this.fleetRead = null;
      };
      read.then(clear, clear);
    }
    return this.fleetRead;
  }

  /** Starts the fleet read for a turn that is about to load its thread, so both queries overlap. */
  prefetch(): void {
    if (this.current() !== this.offline) void this.fleet().catch(() => undefined);
  }

  reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    return this.current().reply(input, tools, sink);
  }

  summarize(previous: string | null, messages: BrainMessage[]): Promise<string> {
    return this.current().summarize(previous, messages);
  }
}

export const brainProvider: Provider<Brain> = { provide: BRAIN, useExisting: BrainRouter };
