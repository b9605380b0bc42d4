// Operators and agents as the drills see them: REST set-up, sockets that fail over to the next node the
// way a client behind the load balancer would, and catch-up over GET /api/chat/:peerId/messages?after=.
import { io, type Socket } from 'socket.io-client';
import type { ChatMessageDto, InboxPage, LogDto, Page } from '@echocenter/contracts';
import { Backoff } from '../../agents/sdk/backoff';
import { ADMIN } from './cluster';
import { sleep } from './util';

export async function api<T = any>(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: parsed as T };
}

export async function adminToken(url: string): Promise<string> {
  const res = await api(url, 'POST', '/api/auth/login', undefined, ADMIN);
  if (res.status !== 200) throw new Error(`admin login: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export async function registerAgent(url: string, admin: string, name: string): Promise<{ id: number; token: string }> {
  const res = await api(url, 'POST', '/api/agents', admin, { name });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.agent.id, token: res.body.token };
}

export async function createOperator(
  url: string,
  admin: string,
  username: string,
): Promise<{ id: number; token: string }> {
  const password = 'operator-pass-123';
  const res = await api(url, 'POST', '/api/users', admin, { username, password, role: 'MEMBER' });
  if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const login = await api(url, 'POST', '/api/auth/login', undefined, { username, password });
  return { id: res.body.id, token: login.body.accessToken };
}

export type Ack = { ok: true; message: ChatMessageDto } | { ok: false; error: { code: string; message: string } };

/**
 * One actor's socket. On a drop it reconnects itself, trying the node URLs in turn (what nginx does for
 * a client whose node died), and records when it was back. `seen` counts every live chat:message by id,
 * so a duplicate delivery shows up as a count of 2.
 */
export class Peer {
  socket: Socket | null = null;
  readonly seen = new Map<number, number>();
  /** When each id was first pushed to this client (epoch ms). */
  readonly seenAt = new Map<number, number>();
  maxSeenId = 0;
  drops = 0;
  lastDropAt = 0;
  /** When the current socket connected (epoch ms). */
  connectedAt = 0;
  reconnectMs: number[] = [];
  /** Ids fetched by catch-up after a reconnect (not live deliveries). */
  readonly recovered = new Set<number>();
  /** Highest id received from each peer: the per-conversation cursor a client keeps. */
  readonly lastFrom = new Map<number, number>();
  /** Peers whose conversation is caught up after every reconnect. */
  catchUpPeers: number[] = [];
  catchUpErrors = 0;
  /** `sync:hint`s received (the hub said pushes may have been lost). */
  hints = 0;
  /** When each id arrived by catch-up (epoch ms), for "complete 3 s after recovery". */
  readonly recoveredAt = new Map<number, number>();
  /** Operators also follow logs (log:new live, GET /api/logs?after= on catch-up), as the console does. */
  trackLogs = false;
  /** Log ids this client has, live or caught up. */
  readonly logsSeen = new Set<number>();
  private logCursor: number | null = null;
  /** The inbox cursor, as the SDKs keep it: moved only by catch-ups (null until the first connect). */
  private inboxCursor: number | null = null;
  private inboxRun: Promise<void> | null = null;
  private inboxAgain = false;
  private closed = false;
  private urlIndex = 0;
  /** What happened to this client and when (drops, connects, hints, catch-up reads), to explain a late one. */
  readonly trace: { at: number; what: string }[] = [];

  note(what: string): void {
    this.trace.push({ at: Date.now(), what });
    if (this.trace.length > 400) this.trace.splice(0, this.trace.length - 300);
  }

  /** The trace since `since`, as `+<ms from since> <what>` lines. */
  traceSince(since: number): string[] {
    return this.trace.filter((t) => t.at >= since).map((t) => `+${t.at - since} ${t.what}`);
  }

  /** Source address (127.0.0.x) so a balancer hashing on client addresses spreads loopback clients. */
  localAddress?: string;
  /** Extra listeners bound on every socket this peer opens (the first and each reconnect). */
  readonly handlers: [string, (...args: any[]) => void][] = [];
  /** Runs after each successful (re)connect, before catch-up: e.g. an agent's agent:hello. */
  onConnected?: (s: Socket) => Promise<void>;
  /** How long a reconnect keeps trying the nodes (a full restart takes longer than a failover). */
  reconnectDeadlineMs = 20000;

  constructor(
    readonly name: string,
    readonly id: number,
    readonly token: string,
    readonly urls: string[],
  ) {}

  get connected(): boolean {
    return this.socket?.connected === true;
  }

  get url(): string {
    return this.urls[this.urlIndex % this.urls.length];
  }

  /**
   * Connects to urls[start], else the next ones; gives up after `deadlineMs`. Between attempts it waits as
   * the SDKs and the console do (0.5 s doubling to 2 s, jittered: agents/sdk/backoff.ts), so the drill
   * sees a real client's way back, not a faster one.
   */
  async connect(start = this.urlIndex, deadlineMs = 20000): Promise<void> {
    const until = Date.now() + deadlineMs;
    const backoff = new Backoff();
    for (let i = start; Date.now() < until && !this.closed; i++) {
      this.urlIndex = i % this.urls.length;
      try {
        this.socket = await this.open(this.url);
        this.connectedAt = Date.now();
        this.note(`connected (${this.socket.id})`);
        void this.catchUpInbox();
        return;
      } catch (err) {
        const wait = backoff.next();
        this.note(`connect failed (${(err as Error).message}); next try in ${wait} ms`);
        await sleep(wait);
      }
    }
    throw new Error(`${this.name} could not connect to any of ${this.urls.join(', ')}`);
  }

  private open(url: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = io(url, {
        auth: { token: this.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 3000,
        ...(this.localAddress ? { localAddress: this.localAddress } : {}),
      } as never);
      s.on('chat:message', (m: ChatMessageDto) => this.onMessage(m));
      // What every client of the hub does: a hint means catch up now (the SDKs and the console do the same).
      s.on('sync:hint', (h: { reason?: string }) => {
        this.hints++;
        this.note(`sync:hint ${h?.reason ?? ''}`);
        void this.catchUpInbox();
      });
      for (const [event, fn] of this.handlers) s.on(event, fn);
      if (this.trackLogs) s.on('log:new', (l: LogDto) => this.logsSeen.add(l.id));
      s.once('connect', () => {
        s.on('disconnect', () => void this.onDrop(s));
        resolve(s);
      });
      s.once('connect_error', (err) => {
        s.close();
        reject(err);
      });
    });
  }

  onMessage(m: ChatMessageDto): void {
    this.seen.set(m.id, (this.seen.get(m.id) ?? 0) + 1);
    if (!this.seenAt.has(m.id)) this.seenAt.set(m.id, Date.now());
    if (m.id > this.maxSeenId) this.maxSeenId = m.id;
    if (m.id > (this.lastFrom.get(m.senderId) ?? 0)) this.lastFrom.set(m.senderId, m.id);
  }

  private async onDrop(s: Socket): Promise<void> {
    if (this.closed || s !== this.socket) return;
    this.drops++;
    this.lastDropAt = Date.now();
    this.note('dropped');
    const started = Date.now();
    // Cursors as they were at the drop: everything after them may have been missed.
    const cursors = new Map(this.lastFrom);
    // The node that dropped us may be the one that died: start with the next one.
    await this.connect(this.urlIndex + 1, this.reconnectDeadlineMs).catch(() => undefined);
    if (!this.connected) return;
    this.reconnectMs.push(Date.now() - started);
    await this.onConnected?.(this.socket!).catch(() => undefined);
    for (const peerId of this.catchUpPeers) {
      try {
        for (const m of await this.catchUp(peerId, cursors.get(peerId) ?? 0)) {
          this.recovered.add(m.id);
          if (m.id > (this.lastFrom.get(peerId) ?? 0)) this.lastFrom.set(peerId, m.id);
        }
      } catch {
        this.catchUpErrors++;
      }
    }
  }

  /**
   * GET /api/chat/inbox above the cursor (the first call only takes the mark): what the SDKs run after a
   * reconnect and on every sync:hint. A call while one runs makes it run once more.
   */
  catchUpInbox(): Promise<void> {
    if (this.inboxRun) {
      this.inboxAgain = true;
      return this.inboxRun;
    }
    this.inboxRun = (async () => {
      do {
        this.inboxAgain = false;
        // Each read on its own, retried shortly (a node may still be restarting behind the balancer), as the SDKs do.
        for (const read of this.trackLogs
          ? [() => this.readInbox(), () => this.readLogs()]
          : [() => this.readInbox()]) {
          for (let attempt = 1; attempt <= 4; attempt++) {
            try {
              await read();
              break;
            } catch (err) {
              this.catchUpErrors++;
              this.note(`catch-up read failed (try ${attempt}): ${(err as Error).message}`);
              await sleep(300 * attempt);
            }
          }
        }
      } while (this.inboxAgain && !this.closed);
    })().finally(() => (this.inboxRun = null));
    return this.inboxRun;
  }

  private async readInbox(): Promise<void> {
    for (let page = 0; page < 10000; page++) {
      const after = this.inboxCursor === null ? '' : `?after=${this.inboxCursor}&limit=200`;
      const asked = Date.now();
      const res = await api<InboxPage>(this.url, 'GET', `/api/chat/inbox${after}`, this.token);
      this.note(
        `inbox after=${this.inboxCursor} → ${res.status} in ${Date.now() - asked} ms: ${res.body?.items?.length ?? 0} items, mark ${res.body?.mark}`,
      );
      if (res.status !== 200) throw new Error(`inbox ${this.name}: ${res.status}`);
      if (this.inboxCursor === null) {
        this.inboxCursor = res.body.mark;
        return;
      }
      const now = Date.now();
      for (const m of res.body.items) {
        this.recovered.add(m.id);
        if (!this.recoveredAt.has(m.id)) this.recoveredAt.set(m.id, now);
      }
      const last = res.body.items.length ? res.body.items[res.body.items.length - 1].id : this.inboxCursor;
      this.inboxCursor = res.body.nextCursor ?? Math.max(last, res.body.mark);
      if (res.body.nextCursor === null) return;
    }
  }

  private async readLogs(): Promise<void> {
    if (this.logCursor === null) {
      const res = await api<Page<LogDto>>(this.url, 'GET', '/api/logs?limit=1', this.token);
      if (res.status !== 200) throw new Error(`logs ${this.name}: ${res.status}`);
      this.logCursor = res.body.items[0]?.id ?? 0;
      return;
    }
    for (let page = 0; page < 10000; page++) {
      const asked = Date.now();
      const res: { status: number; body: Page<LogDto> } = await api<Page<LogDto>>(
        this.url,
        'GET',
        `/api/logs?after=${this.logCursor}&limit=200`,
        this.token,
      );
      this.note(
        `logs after=${this.logCursor} → ${res.status} in ${Date.now() - asked} ms: ${res.body?.items?.length ?? 0} items`,
      );
      if (res.status !== 200) throw new Error(`logs ${this.name}: ${res.status}`);
      for (const l of res.body.items) this.logsSeen.add(l.id);
      if (res.body.items.length) this.logCursor = res.body.items[res.body.items.length - 1].id;
      if (res.body.nextCursor === null || !res.body.items.length) return;
    }
  }

  /** Ids this client has, live or caught up. */
  has(id: number): boolean {
    return this.seen.has(id) || this.recovered.has(id);
  }

  /** chat:send with an ack; no answer is TIMEOUT, a connection lost first is DROPPED_BEFORE_ACK. */
  async send(targetId: number, text: string, localId: string, timeoutMs = 5000): Promise<Ack> {
    const s = this.socket;
    if (!s?.connected) return { ok: false, error: { code: 'DISCONNECTED', message: 'not connected' } };
    try {
      return (await s.timeout(timeoutMs).emitWithAck('chat:send', { targetId, text, localId })) as Ack;
    } catch (err) {
      // socket.io-client rejects pending acks at once when the connection drops; only a real silence is TIMEOUT.
      const dropped = !s.connected || /disconnect/i.test(String((err as Error)?.message));
      return {
        ok: false,
        error: dropped
          ? { code: 'DROPPED_BEFORE_ACK', message: 'connection lost before the ack' }
          : { code: 'TIMEOUT', message: 'no ack' },
      };
    }
  }

  /** Every message with `peerId` after `after`, paging forward: what a reconnecting client fetches. */
  async catchUp(peerId: number, after: number): Promise<ChatMessageDto[]> {
    const out: ChatMessageDto[] = [];
    let cursor = after;
    for (let page = 0; page < 10000; page++) {
      const res = await api<Page<ChatMessageDto>>(
        this.url,
        'GET',
        `/api/chat/${peerId}/messages?after=${cursor}&limit=200`,
        this.token,
      );
      if (res.status !== 200)
        throw new Error(`catch-up ${this.name}←${peerId}: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.body.items);
      if (res.body.nextCursor === null || !res.body.items.length) return out;
      cursor = res.body.items[res.body.items.length - 1].id;
    }
    return out;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
