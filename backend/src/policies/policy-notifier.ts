import { Injectable } from '@nestjs/common';
import type { AgentCommandCard, PolicyReviewEvent } from '@echocenter/contracts';
import type { Actor } from '../actors/actor.entity';
import { RealtimeService } from '../gateway/realtime.service';
import { HUMANS_ROOM } from '../gateway/socket-types';

/** The pushes a policy change causes: admins hear of resets; every console gets the card as ruled. */
@Injectable()
export class PolicyNotifier {
  constructor(private readonly realtime: RealtimeService) {}

  review(event: PolicyReviewEvent): void {
    this.realtime.toAdmins('policy:review', event);
  }

  /** The agent's card with effective policies, as `agent:card` (what consoles already follow), to humans and the agent. */
  card(agent: Actor, commands: AgentCommandCard[]): void {
    // The agent hears it too, so its own `help` and direct chat follow the hub's ruling.
    this.realtime.emit({ rooms: [HUMANS_ROOM], actors: [agent.id] }, 'agent:card', {
      agentId: agent.id,
      ...(agent.description !== null && { description: agent.description }),
      ...(agent.version !== null && { version: agent.version }),
      commands,
    });
  }
}
