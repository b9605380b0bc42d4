/**
 * Runs jobs one after another per key (a thread) while different keys run concurrently: a thread's
 * turns stay in order, and one slow thread never blocks another operator.
 */
export class KeyedQueue {
  private readonly tails = new Map<number, Promise<void>>();

  run(key: number, job: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(job, job);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget idle keys so the map does not grow with every thread ever used.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.tails.size;
  }

  /** Resolves once every queued job has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
