/** A minimal typed event emitter; it never throws on an unhandled event (unlike Node's `error`). */
export type EventMap<E> = { [K in keyof E]: (...args: never[]) => void };

export class TypedEmitter<E extends EventMap<E>> {
  private readonly handlers = new Map<keyof E, Set<E[keyof E]>>();

  on<K extends keyof E>(event: K, handler: E[K]): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const handler of this.handlers.get(event) ?? []) {
      // A listener's bug must not break the connection logic that emitted the event.
      try {
        (handler as (...a: Parameters<E[K]>) => void)(...args);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}
