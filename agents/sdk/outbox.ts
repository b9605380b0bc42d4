import type { Ack, ClientToServerEvents, ErrorCode } from '@echocenter/contracts';
import { Backoff } from './backoff';
import { sleep } from './text';

/** Events the SDK delivers at least once: kept until the hub acknowledges them. */
export type AckedEvent = 'log:report' | 'command:result' | 'chat:send' | 'chat:end';
export type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
export type OutboxMessage = { [E in AckedEvent]: { event: E; payload: PayloadOf<E> } }[AckedEvent];

/** What an outbox needs from the socket. */
export interface AckTransport {
  readonly connected: boolean;
  /** Resolves with the hub's ack, or null when it was lost (timeout or disconnect). */
  send(message: OutboxMessage, timeoutMs: number): Promise<Ack | null>;
}

export interface OutboxOptions {
  ackTimeoutMs: number;
  /** Oldest entries are dropped beyond this many. Default: unbounded. */
  limit?: number;
  /** Builds the message that reports how many entries were dropped; it is sent before the survivors. */
  dropNotice?: (count: number) => OutboxMessage;
  /** Called when the hub refused an entry for good (e.g. VALIDATION_FAILED). */
  onRejected?: (message: OutboxMessage, reason: string) => void;
}

// Codes that say "later", not "never": the entry is retried after a pause.
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'INTERNAL_ERROR']);
const MAX_REFUSALS = 8;

interface Entry {
  message: OutboxMessage;
  refusals: number;
}

/**
 * An ordered queue of acknowledged sends. One entry is in flight at a time, which is what keeps logs in
 * order across reconnects; an entry leaves the queue only when acked (or refused for good).
 */
export class Outbox {
  private readonly queue: Entry[] = [];
  private readonly retryBackoff = new Backoff({ initialDelayMs: 250, maxDelayMs: 5_000 });
  private inFlight: Entry | undefined;
  private pendingDropped = 0;
  private totalDropped = 0;
  private pumping = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly transport: AckTransport,
    private readonly options: OutboxOptions,
  ) {}

  get size(): number {
    return this.queue.length + this.pendingDropped;
  }

  /** Entries dropped because the queue was full, since the start. */
  get dropped(): number {
    return this.totalDropped;
  }

  push(message: OutboxMessage): void {
    this.queue.push({ message, refusals: 0 });
    const limit = this.options.limit;
    if (limit !== undefined && this.queue.length > limit) {
      // Never drop the entry on the wire: its ack may still come back.
      const victim = this.queue[0] === this.inFlight ? 1 : 0;
      this.queue.splice(victim, 1);
      this.pendingDropped += 1;
      this.totalDropped += 1;
    }
    this.pump();
  }

  /** Starts sending if connected; a no-op while a send loop already runs. */
  pump(): void {
    if (this.pumping || !this.transport.connected) return;
    this.pumping = true;
    void this.sendLoop().finally(() => {
      this.pumping = false;
      this.notifyIfIdle();
      // A reconnect that landed while the loop was winding down found it busy: pick its work up now.
      if (this.transport.connected && this.queue.length > 0) this.pump();
    });
  }

  /** Resolves once everything queued has been acknowledged. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async sendLoop(): Promise<void> {
    while (this.transport.connected) {
      if (this.pendingDropped > 0 && this.options.dropNotice) {
        this.queue.unshift({ message: this.options.dropNotice(this.pendingDropped), refusals: 0 });
      }
      this.pendingDropped = 0;
      const entry = this.queue[0];
      if (!entry) return;
      this.inFlight = entry;
      const ack = await this.transport.send(entry.message, this.options.ackTimeoutMs);
      this.inFlight = undefined;
      if (ack === null) continue; // lost: resend while connected, else the loop ends and reconnect pumps again
      if (ack.ok) {
        this.remove(entry);
        this.retryBackoff.reset();
      } else if (RETRYABLE.has(ack.error.code) && ++entry.refusals < MAX_REFUSALS) {
        await sleep(this.retryBackoff.next());
      } else {
        this.remove(entry);
        this.options.onRejected?.(entry.message, `${ack.error.code}: ${ack.error.message}`);
      }
    }
  }

  private remove(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
