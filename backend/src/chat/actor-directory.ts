import { Injectable } from '@nestjs/common';
import type { ActorRef } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { AgentEvents } from '../agents/agent-events';

const TTL_MS = 60_000;

/**
 * Who a chat target is, cached: every chat:send needs the target's existence and kind, and a database
 * round trip per message would dominate the hot path. Deleted actors are evicted on this node at once
 * (AgentEvents) and on others within the TTL; a message stored meanwhile is harmless history.
 */
@Injectable()
export class ActorDirectory {
  private readonly cache = new Map<number, { ref: ActorRef; expires: number }>();

  constructor(private readonly actors: ActorsService, events: AgentEvents) {
    events.credentialsRevoked$.subscribe(({ agentId, reason }) => reason === 'deleted' && this.cache.delete(agentId));
  }

  async get(id: number): Promise<ActorRef | null> {
    const hit = this.cache.get(id);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.ref;
    const ref = await this.actors.ref(id);
    if (ref) this.cache.set(id, { ref, expires: now + TTL_MS });
    else this.cache.delete(id);
    return ref;
  }
}
