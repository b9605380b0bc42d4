import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/**
 * The loop every deadline sweeper shares: each node reads due rows from the database on a timer, so a
 * deadline holds when the node that set it is gone. Many nodes may sweep the same rows at once; the
 * subclass's `sweep()` ends each row with a conditional update, so every transition happens once
 * cluster-wide. Here a round still running on this node is never doubled, a failed round is logged and
 * retried on the next tick, and the timer neither keeps the process alive nor outlives the module.
 */
export abstract class DeadlineSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  protected constructor(
    name: string,
    private readonly intervalMs: number,
  ) {
    this.logger = new Logger(name);
  }

  /** One round over the due rows. */
  protected abstract sweep(): Promise<void>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round now, unless one is already running; never throws. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
