import { Injectable, type Provider } from '@nestjs/common';
import type { AgentDto } from '@echocenter/contracts';
import { AgentsService } from '../../agents/agents.service';
import { ButlerMeter } from '../../observability/butler-meter';
import { SettingsService } from '../../settings/settings.service';
import type { ButlerTools } from '../tools/butler-tools';
import type { TurnUsage } from '../usage/turn-usage';
import { BRAIN, type Brain, type BrainInput, type BrainMessage, type ReplySink } from './brain';
import { OfflineBrain } from './offline-brain';
import { OpenAiBrain } from './openai-brain';

const FLEET_FRESH_MS = 250;

interface FleetRead {
  agents: Promise<AgentDto[]>;
  doneAt: number | null;
}

/**
 * The brain the runtime settings call for, picked per turn: a model when a base URL and a model are set
 * (environment or the admin's settings), else the offline brain. A settings change takes effect at the
 * next turn on every node; the SDK client is kept while its settings stay the same.
 */
@Injectable()
export class BrainRouter implements Brain {
  private readonly offline = new OfflineBrain();
  private model: { key: string; brain: OpenAiBrain } | null = null;
  private fleetRead: FleetRead | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly agents: AgentsService,
    private readonly meter: ButlerMeter,
  ) {}

  get name(): string {
    return this.current().name;
  }

  current(): Brain {
    if (!this.settings.butlerModel()) return this.offline;
    const butler = this.settings.butler();
    const key = JSON.stringify([
      butler.baseUrl,
      butler.model,
      butler.apiKey,
      butler.timeoutMs,
      butler.maxToolRounds,
      butler.tools,
    ]);
    if (this.model?.key !== key)
      this.model = { key, brain: new OpenAiBrain(butler, () => this.fleet(), this.offline, this.meter) };
    return this.model.brain;
  }

  /**
   * The fleet for system prompts. Turns share one read while it is in flight and for FLEET_FRESH_MS after:
   * under load that turns a query per turn into a few per second, and the prompt is never more than a
   * quarter of a second behind the fleet (presence itself travels slower than that).
   */
  private fleet(): Promise<AgentDto[]> {
    const now = Date.now();
    if (!this.fleetRead || (this.fleetRead.doneAt !== null && now - this.fleetRead.doneAt > FLEET_FRESH_MS)) {
      // The prompt needs names, presence and cards with their policies, not credentials.
      const entry: FleetRead = { doneAt: null, agents: this.agents.listCards() };
      this.fleetRead = entry;
      entry.agents.then(
        () => (entry.doneAt = Date.now()),
        () => {
          if (this.fleetRead === entry) this.fleetRead = null;
        },
      );
    }
    return this.fleetRead.agents;
  }

  /** Starts the fleet read for a turn that is about to load its thread, so both queries overlap. */
  prefetch(): void {
    if (this.current() !== this.offline) void this.fleet().catch(() => undefined);
  }

  reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    return this.current().reply(input, tools, sink);
  }

  summarize(previous: string | null, messages: BrainMessage[], usage?: TurnUsage): Promise<string> {
    return this.current().summarize(previous, messages, usage);
  }
}

export const brainProvider: Provider<Brain> = { provide: BRAIN, useExisting: BrainRouter };
