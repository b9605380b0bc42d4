import { Injectable } from '@nestjs/common';

/** Bounds of a graceful shutdown, from the environment (documented in docs/deployment.md). */
export interface DrainLimits {
  /** How long in-flight acks may take before sockets are closed anyway. */
  drainMs: number;
  /** Hard deadline from the signal to process exit, whatever is still running. */
  timeoutMs: number;
}

export function drainLimits(env: Record<string, string | undefined> = process.env): DrainLimits {
  const read = (name: string, fallback: number) => {
    const n = Number(env[name]);
    return env[name] && Number.isInteger(n) && n >= 100 && n <= 600000 ? n : fallback;
  };
  const timeoutMs = read('SHUTDOWN_TIMEOUT_MS', 10000);
  return { timeoutMs, drainMs: Math.min(read('SHUTDOWN_DRAIN_MS', 5000), timeoutMs) };
}

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
