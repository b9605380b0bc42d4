import { Injectable, Logger } from '@nestjs/common';
import { Subscription } from 'rxjs';
import type { DomainEventName, DomainEvents } from './domain-events';

type Handler<K extends DomainEventName> = (payload: DomainEvents[K]) => void;

interface Listener<K extends DomainEventName = DomainEventName> {
  readonly subscriber: string;
  readonly handler: Handler<K>;
}

/** Who listens to what, in delivery order. */
export interface EventSubscription {
  event: DomainEventName;
  subscriber: string;
}

/**
 * The in-process events between features (DomainEvents). Publishers `emit`; subscribers `on` under a name
 * (`butler.turns`), so `subscriptions()` can say who listens to what. Delivery is synchronous, in emit
 * order and then in subscription order, like an RxJS Subject: the Butler relies on it (a thread's turns
 * are queued in the order their messages arrived; `approvals.settled` follows its `approvals.changed`).
 * A subscriber that throws, or whose handler returns a promise that rejects, is logged and skipped: the
 * publisher and the other subscribers carry on. Handlers that start async work catch it themselves.
 *
 * Hot path (`logs.created`, `chat.toButler`): each name keeps an array that is replaced, never changed,
 * when someone subscribes or leaves, so `emit` allocates nothing and a handler that unsubscribes (or
 * subscribes) during delivery does not disturb the pass in progress.
 */
@Injectable()
export class DomainEventBus {
  private readonly listeners = new Map<DomainEventName, readonly Listener[]>();
  private readonly logger = new Logger('DomainEvents');

  emit<K extends DomainEventName>(event: K, payload: DomainEvents[K]): void {
    const listeners = this.listeners.get(event) as readonly Listener<K>[] | undefined;
    if (listeners === undefined) return;
    for (let i = 0; i < listeners.length; i++) {
      const listener = listeners[i]!;
      try {
        const result = listener.handler(payload) as unknown;
        if (result instanceof Promise) result.catch((err: unknown) => this.failed(event, listener.subscriber, err));
      } catch (err) {
        this.failed(event, listener.subscriber, err);
      }
    }
  }

  /** Subscribes `handler` as `subscriber` (a name such as `butler.turns`); unsubscribing is idempotent. */
  on<K extends DomainEventName>(event: K, subscriber: string, handler: Handler<K>): Subscription {
    const listener: Listener<K> = { subscriber, handler };
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as unknown as Listener]);
    return new Subscription(() => {
      const rest = (this.listeners.get(event) ?? []).filter((l) => l !== (listener as unknown as Listener));
      if (rest.length) this.listeners.set(event, rest);
      else this.listeners.delete(event);
    });
  }

  /** Every current subscription, events in first-subscribed order, subscribers in delivery order. */
  subscriptions(): EventSubscription[] {
    return [...this.listeners].flatMap(([event, listeners]) =>
      listeners.map((l) => ({ event, subscriber: l.subscriber })),
    );
  }

  private failed(event: DomainEventName, subscriber: string, err: unknown): void {
    this.logger.error(
      `${subscriber} failed on ${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
}
