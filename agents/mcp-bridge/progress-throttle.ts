/** Lines a second a bridged tool's progress may reach the hub at, after a burst (a few quick steps pass whole). */
export const PROGRESS_LINES_PER_SEC = 10;
export const PROGRESS_BURST = 20;

/**
 * Bounds the progress lines one tool call sends (a token bucket): an MCP server is untrusted and may send
 * notifications/progress as fast as it likes, and every line is a socket event and a stored row at the hub.
 * Beyond the rate only the newest line waits for the next slot (older ones are superseded: progress is a
 * state, not a log); `flush` sends it at once, before the result, so the last line is never lost.
 */
export class ProgressThrottle {
  private tokens: number;
  private last: number;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (line: string) => void,
    private readonly perSec = PROGRESS_LINES_PER_SEC,
    private readonly burst = PROGRESS_BURST,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  push(line: string): void {
    this.refill();
    if (this.tokens >= 1 && this.pending === null) {
      this.tokens -= 1;
      this.send(line);
      return;
    }
    this.pending = line;
    this.timer ??= setTimeout(() => this.drain(), Math.ceil(((1 - this.tokens) / this.perSec) * 1000));
  }

  /** Sends the line still waiting, if any, and stops the timer (the call ended). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const line = this.pending;
    this.pending = null;
    if (line !== null) this.send(line);
  }

  private drain(): void {
    this.timer = null;
    this.refill();
    if (this.pending === null) return;
    if (this.tokens < 1) {
      this.timer = setTimeout(() => this.drain(), Math.ceil(((1 - this.tokens) / this.perSec) * 1000));
      return;
    }
    this.tokens -= 1;
    const line = this.pending;
    this.pending = null;
    this.send(line);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSec);
    this.last = now;
  }
}
