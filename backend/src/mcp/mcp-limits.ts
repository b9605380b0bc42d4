import { Inject, Injectable } from '@nestjs/common';
import type { AuthActor } from '../auth/auth-actor';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

const WINDOW_MS = 60_000;
/** Past this many callers, windows that ended are dropped (a flood of tokens does not grow memory for good). */
const PRUNE_AT = 10_000;

/** One token's requests count apart from its owner's session (and from the owner's other tokens). */
const keyOf = (caller: AuthActor) => (caller.accessToken ? `token:${caller.accessToken.id}` : `user:${caller.id}`);

/**
 * `/mcp` is mounted outside Nest's guards and the socket's event rate: a request rate per caller (fixed
 * one-minute window, MCP_RATE_LIMIT) and a cap on `ask_butler` calls in flight per caller
 * (MCP_ASK_CONCURRENCY), each of which holds a request and a Butler turn for up to two minutes. Per node,
 * like the socket limits: N nodes allow up to N times as much.
 */
@Injectable()
export class McpLimits {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly asking = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Null when the request may go on; otherwise the seconds until the caller's window ends. */
  retryAfter(caller: AuthActor, now = Date.now()): number | null {
    if (this.windows.size > PRUNE_AT) for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
    const key = keyOf(caller);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) this.windows.set(key, (w = { count: 0, endsAt: now + WINDOW_MS }));
    if (w.count >= this.config.mcp.requestsPerMin) return Math.max(1, Math.ceil((w.endsAt - now) / 1000));
    w.count++;
    return null;
  }

  /** A slot for one ask_butler call, released by the returned function; null when the caller has none free. */
  startAsk(caller: AuthActor): (() => void) | null {
    const key = keyOf(caller);
    const busy = this.asking.get(key) ?? 0;
    if (busy >= this.config.mcp.askConcurrency) return null;
    this.asking.set(key, busy + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.asking.get(key) ?? 1) - 1;
      if (left > 0) this.asking.set(key, left);
      else this.asking.delete(key);
    };
  }

  get askConcurrency(): number {
    return this.config.mcp.askConcurrency;
  }
}
