import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ActorRef,
  AgentCard,
  CommandPolicy,
  ChatChunkPayload,
  ChatEndPayload,
  ChatMessageDto,
  ClientToServerEvents,
  CommandResultPayload,
  CommandRunEvent,
  LogDto,
  LogLevel,
  ServerToClientEvents,
} from '@echocenter/contracts';
import { Server } from 'socket.io';

type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { actor: ActorRef }>;

const LEVELS: readonly LogLevel[] = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'];
const OPERATOR: ActorRef = { id: 1, name: 'operator', kind: 'ADMIN' };

/** Everything agents sent, in arrival order, for assertions about ordering across event kinds. */
export interface Received {
  event: keyof ClientToServerEvents;
  actorId: number;
  payload: unknown;
}

/**
 * A small, real Socket.IO hub speaking the agent side of PROTOCOL.md: token handshake, acks, logs,
 * cards, command:run/progress/result/cancel, chat, and `GET /api/logs` for the audit bot.
 */
export class TestHub {
  readonly received: Received[] = [];
  readonly logs: LogDto[] = [];
  readonly hellos: Array<{ actorId: number; card: AgentCard }> = [];
  readonly results = new Map<number, CommandResultPayload>();
  readonly chunks: ChatChunkPayload[] = [];
  readonly ends: ChatEndPayload[] = [];
  readonly messages: ChatMessageDto[] = [];
  handshakes = 0;
  /** Refuses this many handshakes with UNAVAILABLE (a busy hub), before checking tokens. */
  refuseUnavailable = 0;
  /** Leaves this many `command:result` acks unanswered, to exercise the SDK's resend. */
  dropResultAcks = 0;
  /** While true, `agent:hello` acks wait in `heldHelloAcks` (a hub slow to rule); `releaseHelloAcks()` sends them. */
  holdHelloAcks = false;
  private readonly heldHelloAcks: Array<() => void> = [];
  /** The hub's ruling per command name, returned with each `agent:hello` ack as the real hub does. */
  readonly policies = new Map<string, CommandPolicy>();
  /** Stores this many `log:report`s without acking them, like a hub whose ack got lost. */
  dropLogAcks = 0;
  /** Commands sent (or stored with a lost push), as the hub's agent_commands rows: who claimed, whether ended. */
  readonly commands = new Map<number, { agentId: number; run: CommandRunEvent; claimedBy?: string }>();
  /** Every `command:claim` and what the hub answered. */
  readonly claims: Array<{ commandId: number; instance: string; run: boolean }> = [];
  /** `command:pending` asks served. */
  pendingReads = 0;
  private io: HubServer | undefined;
  private http: HttpServer | undefined;
  private nextId = 1;
  private readonly logsByKey = new Map<string, LogDto>();
  private port = 0;

  constructor(private readonly tokens: Record<string, ActorRef>) {}

  static async start(tokens: Record<string, ActorRef>): Promise<TestHub> {
    const hub = new TestHub(tokens);
    await hub.listen();
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port, so agents reconnect to the address they know. */
  async listen(): Promise<void> {
    const http = createServer((req, res) => this.rest(req, res));
    const io: HubServer = new Server(http, { transports: ['websocket', 'polling'] });
    io.use((socket, next) => {
      this.handshakes += 1;
      if (this.refuseUnavailable > 0) {
        this.refuseUnavailable -= 1;
        return next(Object.assign(new Error('try again later'), { data: { code: 'UNAVAILABLE' } }));
      }
      const actor = this.tokens[String(socket.handshake.auth?.token ?? '')];
      if (!actor) return next(Object.assign(new Error('unauthorized'), { data: { code: 'UNAUTHORIZED' } }));
      socket.data.actor = actor;
      next();
    });
    io.on('connection', (socket) => {
      const actor = socket.data.actor;
      void socket.join(`actor:${actor.id}`);
      const record = (event: keyof ClientToServerEvents, payload: unknown): void => {
        this.received.push({ event, actorId: actor.id, payload });
      };
      socket.on('log:report', (payload, ack) => {
        record('log:report', payload);
        if (!LEVELS.includes(payload.level)) {
          return ack?.({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'bad level' } });
        }
        // As the hub does: a repeated localId of one reporter is the log already stored.
        const { localId, ...fields } = payload;
        const key = localId === undefined ? undefined : `${actor.id}:${localId}`;
        const log =
          (key && this.logsByKey.get(key)) || this.addLog({ agentId: actor.id, agentName: actor.name, ...fields });
        if (key) this.logsByKey.set(key, log);
        if (this.dropLogAcks > 0) return void (this.dropLogAcks -= 1);
        ack?.({ ok: true, log });
      });
      socket.on('agent:hello', (card, ack) => {
        record('agent:hello', card);
        this.hellos.push({ actorId: actor.id, card });
        // Like a hub before policies unless a test gives a ruling: then every command carries one.
        const answer = () => ack?.(this.policies.size ? { ok: true, commands: this.ruled(card) } : { ok: true });
        if (this.holdHelloAcks) this.heldHelloAcks.push(answer);
        else answer();
      });
      socket.on('command:progress', (payload) => record('command:progress', payload));
      // As the hub does: one instance claims a command; a claim after its result, or by another, is refused.
      socket.on('command:claim', (payload, ack) => {
        record('command:claim', payload);
        const cmd = this.commands.get(payload.commandId);
        if (!cmd || cmd.agentId !== actor.id)
          return ack?.({ ok: false, error: { code: 'NOT_FOUND', message: 'Command not found' } });
        const run =
          !this.results.has(payload.commandId) && (cmd.claimedBy === undefined || cmd.claimedBy === payload.instance);
        if (run) cmd.claimedBy = payload.instance;
        this.claims.push({ commandId: payload.commandId, instance: payload.instance, run });
        ack?.({ ok: true, run });
      });
      socket.on('command:pending', (payload, ack) => {
        record('command:pending', payload);
        this.pendingReads++;
        const open = [...this.commands.entries()].filter(
          ([id, c]) =>
            c.agentId === actor.id &&
            !this.results.has(id) &&
            (c.claimedBy === undefined || c.claimedBy === payload.instance),
        );
        ack?.({ ok: true, commands: open.map(([, c]) => c.run) });
      });
      socket.on('command:result', (payload, ack) => {
        record('command:result', payload);
        if (!this.results.has(payload.commandId)) this.results.set(payload.commandId, payload);
        if (this.dropResultAcks > 0) return void (this.dropResultAcks -= 1);
        ack?.({ ok: true });
      });
      socket.on('chat:chunk', (payload, ack) => {
        record('chat:chunk', payload);
        this.chunks.push(payload);
        ack?.({ ok: true });
      });
      socket.on('chat:end', (payload, ack) => {
        record('chat:end', payload);
        this.ends.push(payload);
        ack?.({ ok: true });
      });
      socket.on('chat:send', (payload, ack) => {
        record('chat:send', payload);
        const stored = this.messages.find((m) => m.senderId === actor.id && m.localId === payload.localId);
        const message = stored ?? this.storeMessage(actor, payload.targetId, payload.text, payload);
        ack?.({ ok: true, message });
      });
    });
    await new Promise<void>((resolve) => http.listen(this.port, '127.0.0.1', resolve));
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
    this.io = io;
  }

  /** Stops the server and drops every connection, as a crash or restart of the hub would. */
  async stop(): Promise<void> {
    const { io, http } = this;
    this.io = undefined;
    this.http = undefined;
    if (!io || !http) return;
    io.disconnectSockets(true);
    http.closeAllConnections();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  /** Forgets a token and drops its sockets at once, as the hub does when a token is rotated. */
  revoke(token: string): void {
    const actor = this.tokens[token];
    delete this.tokens[token];
    if (actor) this.server().in(`actor:${actor.id}`).disconnectSockets(true);
  }

  /**
   * Sends `command:run` to an agent; the result promise settles when the agent answers. `live: false`
   * stores it but loses the push (its node died): only a catch-up (`command:pending`) finds it.
   */
  runCommand(
    agentId: number,
    command: string,
    args?: string,
    deadlineMs = 10_000,
    { live = true }: { live?: boolean } = {},
  ): Running {
    const commandId = this.nextId++;
    const run: CommandRunEvent = {
      commandId,
      command,
      args,
      from: OPERATOR,
      deadline: new Date(Date.now() + deadlineMs).toISOString(),
    };
    this.commands.set(commandId, { agentId, run });
    if (live) this.server().to(`actor:${agentId}`).emit('command:run', run);
    const result = this.waitFor(() => this.results.get(commandId), deadlineMs + 2_000, `result of ${command}`);
    return { commandId, result, progress: () => this.progressOf(commandId) };
  }

  /** Pushes a stored command's `command:run` (again), as a second delivery would. */
  pushRun(commandId: number): void {
    const cmd = this.commands.get(commandId)!;
    this.server().to(`actor:${cmd.agentId}`).emit('command:run', cmd.run);
  }

  cancel(agentId: number, commandId: number, reason: string): void {
    this.server().to(`actor:${agentId}`).emit('command:cancel', { commandId, reason });
  }

  /** Sends the held `agent:hello` acks (holdHelloAcks) and acks at once again from now on. */
  releaseHelloAcks(): void {
    this.holdHelloAcks = false;
    for (const answer of this.heldHelloAcks.splice(0)) answer();
  }

  /** An admin's new ruling, pushed to the agent as `agent:card` as the real hub does. */
  rule(agentId: number, card: AgentCard): void {
    this.server()
      .to(`actor:${agentId}`)
      .emit('agent:card', { agentId, commands: this.ruled(card) });
  }

  private ruled(card: AgentCard) {
    return card.commands.map((c) => ({ ...c, policy: this.policies.get(c.name) ?? ('NEEDS_APPROVAL' as const) }));
  }

  /** A human's direct message to an agent, stored and delivered like the real hub does (`live: false`: its push is lost). */
  sendChat(
    agentId: number,
    text: string,
    from: ActorRef = OPERATOR,
    { live = true }: { live?: boolean } = {},
  ): ChatMessageDto {
    const message = this.storeMessage(from, agentId, text, {});
    if (live) this.server().to(`actor:${agentId}`).emit('chat:message', message);
    return message;
  }

  /** `sync:hint` to an agent's sockets, as a node does when pushes may have been lost. */
  hint(agentId: number): void {
    this.server().to(`actor:${agentId}`).emit('sync:hint', { reason: 'peer' });
  }

  /** Inbox reads served (`GET /api/chat/inbox`). */
  inboxReads = 0;

  /** Pushes a stored message again, as the hub does when its sender resends it (same localId). */
  pushAgain(message: ChatMessageDto): void {
    this.server().to(`actor:${message.targetId}`).emit('chat:message', message);
  }

  progressOf(commandId: number): string[] {
    return this.received
      .filter((r) => r.event === 'command:progress')
      .map((r) => r.payload as { commandId: number; text: string })
      .filter((p) => p.commandId === commandId)
      .map((p) => p.text);
  }

  addLog(fields: Omit<LogDto, 'id' | 'createdAt'> & { createdAt?: string }): LogDto {
    const log: LogDto = { id: this.nextId++, createdAt: new Date().toISOString(), ...fields };
    this.logs.push(log);
    return log;
  }

  logsOf(agentId: number): LogDto[] {
    return this.logs.filter((l) => l.agentId === agentId);
  }

  /** Polls `probe` until it returns something; fails with `what` in the message after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private server(): HubServer {
    if (!this.io) throw new Error('test hub is stopped');
    return this.io;
  }

  private storeMessage(
    from: ActorRef,
    targetId: number,
    text: string,
    extra: { localId?: string; streamId?: string },
  ): ChatMessageDto {
    const message: ChatMessageDto = {
      id: this.nextId++,
      localId: extra.localId ?? null,
      senderId: from.id,
      senderName: from.name,
      senderKind: from.kind,
      targetId,
      text,
      streamId: extra.streamId ?? null,
      createdAt: new Date().toISOString(),
    };
    this.messages.push(message);
    return message;
  }

  /**
   * `GET /api/logs?since=&limit=&before=|after=`: newest first (oldest first with after), agent token as
   * Bearer; `POST /api/logs` stores a log of the token's agent and answers it (201).
   */
  private rest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://hub');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/logs' && url.pathname !== '/api/chat/inbox')
      return send(404, { statusCode: 404, code: 'NOT_FOUND', message: 'no route' });
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const actor = this.tokens[token];
    if (!actor) return send(401, { statusCode: 401, code: 'UNAUTHORIZED', message: 'bad token' });
    if (url.pathname === '/api/chat/inbox') {
      // As the hub: messages to the caller above `after`, oldest first; without after only the mark.
      this.inboxReads += 1;
      const mark = this.messages.reduce((max, m) => Math.max(max, m.id), 0);
      const after = url.searchParams.get('after');
      const items = after === null ? [] : this.messages.filter((m) => m.targetId === actor.id && m.id > Number(after));
      return send(200, { items, nextCursor: null, mark });
    }
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const { level, content } = JSON.parse(body) as Pick<LogDto, 'level' | 'content'>;
        send(201, this.addLog({ agentId: actor.id, agentName: actor.name, level, content }));
      });
      return;
    }
    const since = url.searchParams.get('since');
    const before = Number(url.searchParams.get('before') ?? Infinity);
    const after = url.searchParams.get('after');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const matching = this.logs
      .filter((l) => (!since || l.createdAt >= since) && l.id < before && (after === null || l.id > Number(after)))
      .sort((a, b) => (after === null ? b.id - a.id : a.id - b.id));
    const items = matching.slice(0, limit);
    send(200, { items, nextCursor: matching.length > limit ? items[items.length - 1]!.id : null });
  }
}

export interface Running {
  commandId: number;
  result: Promise<CommandResultPayload>;
  progress(): string[];
}
