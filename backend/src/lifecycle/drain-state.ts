import { Injectable } from '@nestjs/common';

/**
 * Whether this node is shutting down, and its in-flight acknowledged events. Shared by the health check
 * (503 while draining, so a load balancer stops sending new clients) and the drain gateway.
 */
@Injectable()
export class DrainState {
  private drainingSince: number | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Idempotent: the first call wins. */
  begin(): void {
    this.drainingSince ??= Date.now();
  }

  get pending(): number {
    return this.inFlight;
  }

  started(): void {
    this.inFlight++;
  }

  finished(): void {
    if (this.inFlight > 0) this.inFlight--;
    if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no acked event is in flight, or after `ms`; returns how many were still running. */
  async idle(ms: number): Promise<number> {
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        timer.unref();
        this.idleWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return this.inFlight;
  }
}
