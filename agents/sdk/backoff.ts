/** Reconnect delays: exponential growth, capped, with "equal jitter" so a fleet does not reconnect in lockstep. */
export interface BackoffOptions {
  /** First delay in ms. Default 500. */
  initialDelayMs?: number;
  /**
   * Upper bound in ms. Default 2 000: after any fault ends, a client is back within 2 s and catches up
   * within the 3 s docs/protocol.md promises ("Catching up"); the console and the Python package use the same.
   */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Share of each delay that is random, 0..1. Default 0.5: a delay lands in [base/2, base]. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 2_000,
  factor: 2,
  jitter: 0.5,
};

export class Backoff {
  private readonly options: Required<BackoffOptions>;
  private attempt = 0;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.options = { ...DEFAULT_BACKOFF, ...options };
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const { initialDelayMs, maxDelayMs, factor, jitter } = this.options;
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** this.attempt);
    this.attempt += 1;
    return Math.round(base * (1 - jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
