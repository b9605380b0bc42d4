import type { ChatMessageDto, InboxPage } from '@echocenter/contracts';

/** Reads one page of `GET /api/chat/inbox` (after omitted: only the mark). */
export type InboxReader = (after: number | undefined) => Promise<InboxPage>;

/** Live messages received since the last catch-up after which one more is run, so a re-read stays small. */
export const CATCH_UP_EVERY = 500;
/** Tries per catch-up, and the pause before the next one (times the attempt). */
export const CATCH_UP_ATTEMPTS = 4;
export const CATCH_UP_RETRY_MS = 300;
/** Older messages found by a catch-up are passed over: nobody waits for an answer that late. */
export const CATCH_UP_MAX_AGE_MS = 5 * 60_000;

/**
 * Keeps an agent's chat complete without anyone doing anything: after every (re)connect and every
 * `sync:hint` the hub sends, it reads the messages addressed to the agent above its cursor and hands
 * them to `deliver`, which answers each id once (pushes and catch-up overlap on purpose).
 * The cursor only moves through catch-ups, never on a live push: a push that overtook a lost one must
 * not hide the lost one. A new agent starts at the hub's mark (it does not answer old history), and a
 * message older than CATCH_UP_MAX_AGE_MS (an agent that was away for long) is passed over.
 */
export class InboxCatchUp {
  private cursor: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private liveSince = 0;

  constructor(
    private readonly read: InboxReader,
    private readonly deliver: (message: ChatMessageDto) => void,
    private readonly warn: (text: string) => void,
  ) {}

  /** Counts a live push; every CATCH_UP_EVERY of them, a catch-up moves the cursor on. */
  live(): void {
    if (++this.liveSince >= CATCH_UP_EVERY) void this.run();
  }

  /** Catches up now; a call while one runs makes it run once more when it ends. Never throws. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        this.liveSince = 0;
        // A fault's aftermath is when reads fail (a node still restarting behind the balancer): try again
        // shortly rather than wait for the next hint, which may never come.
        for (let attempt = 1; ; attempt++) {
          try {
            await this.readAll();
            break;
          } catch (err) {
            if (attempt >= CATCH_UP_ATTEMPTS) {
              this.warn(`could not catch up on chat: ${err instanceof Error ? err.message : String(err)}`);
              break;
            }
            await new Promise((r) => setTimeout(r, CATCH_UP_RETRY_MS * attempt));
          }
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async readAll(): Promise<void> {
    if (this.cursor === null) {
      this.cursor = (await this.read(undefined)).mark;
      return;
    }
    for (;;) {
      const page = await this.read(this.cursor);
      const oldest = Date.now() - CATCH_UP_MAX_AGE_MS;
      for (const message of page.items) if (Date.parse(message.createdAt) >= oldest) this.deliver(message);
      const last: number = page.items.length ? page.items[page.items.length - 1].id : this.cursor;
      // Caught up: everything addressed to us up to the mark was in the pages, so the next read starts there.
      this.cursor = page.nextCursor ?? Math.max(last, page.mark);
      if (page.nextCursor === null) return;
    }
  }
}

/** `GET <url>/api/chat/inbox` with an agent token, through the runtime's fetch. */
export function httpInboxReader(url: string, token: string, timeoutMs: number): InboxReader {
  const base = new URL('/api/chat/inbox', url);
  return async (after) => {
    const target = new URL(base);
    if (after !== undefined) target.searchParams.set('after', String(after));
    const res = await fetch(target, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`GET /api/chat/inbox answered ${res.status}`);
    return (await res.json()) as InboxPage;
  };
}
