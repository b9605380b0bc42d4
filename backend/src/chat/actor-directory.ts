import { Injectable } from '@nestjs/common';
import type { ActorRef } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { DomainEventBus } from '../events/domain-event-bus';

const TTL_MS = 60_000;

/**
 * Who a chat target is, cached: every chat:send needs the target's existence and kind, and a database
 * round trip per message would dominate the hot path. Concurrent lookups of one id share one query, so
 * sends to the same target continue in the order they arrived (ids follow that order). Deleted actors
 * are evicted on this node at once and on others within the TTL; a message stored meanwhile is harmless.
 */
@Injectable()
export class ActorDirectory {
  private readonly cache = new Map<number, { ref: Promise<ActorRef | null>; expires: number }>();

  constructor(
    private readonly actors: ActorsService,
    events: DomainEventBus,
  ) {
    events.on(
      'agents.credentialsRevoked',
      'chat.actorDirectory',
      ({ agentId, reason }) => reason === 'deleted' && this.cache.delete(agentId),
    );
  }

  get(id: number): Promise<ActorRef | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.expires > now) return hit.ref;
    const ref = this.actors.ref(id);
    const entry = { ref, expires: now + TTL_MS };
    this.cache.set(id, entry);
    // Unknown ids and failures are not remembered: the actor may be created a moment later.
    ref.then(
      (r) => r === null && this.cache.get(id) === entry && this.cache.delete(id),
      () => this.cache.get(id) === entry && this.cache.delete(id),
    );
    return ref;
  }
}
