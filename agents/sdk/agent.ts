import type {
  Ack,
  AgentCard,
  ClientToServerEvents,
  HandshakeErrorData,
  LogLevel,
  ServerToClientEvents,
} from '@echocenter/contracts';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { AgentEvents, ConnectOptions } from './agent-options';
import { Backoff } from './backoff';
import { ChatResponder, type ChatContext, type ChatHandler } from './chat';
import { createDefaultChatHandler, helpText, isHelp, type FreeTextInterpreter } from './chat-default';
import { CommandDispatcher, type CommandHandler } from './commands';
import { CommandIntake, type IntakeCall } from './command-intake';
import { TypedEmitter } from './emitter';
import { AuthError } from './errors';
import { httpInboxReader, InboxCatchUp } from './inbox';
import { Outbox, type AckTransport, type OutboxMessage } from './outbox';
import { latch } from './latch';
import { createPersonaChatHandler } from './persona';
import { Ruling } from './ruling';
import { LIMITS, truncate } from './text';

export type { AgentEvents, ConnectOptions } from './agent-options';

type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// A command's result longer than this reaches the chat as a stream of pieces this long.
const STREAM_OVER_CHARS = 2_000;

type State = 'running' | 'closing' | 'closed' | 'failed';

/**
 * A connected EchoCenter agent. Reconnects by itself until `close()` or until the hub refuses its token;
 * queues logs and command results across reconnects and re-sends its card after each one.
 */
export class Agent extends TypedEmitter<AgentEvents> {
  readonly name: string;
  private readonly socket: AgentSocket;
  private readonly backoff: Backoff;
  private readonly logs: Outbox;
  private readonly replies: Outbox;
  private readonly commands: CommandDispatcher;
  private readonly chat: ChatResponder;
  private readonly inbox: InboxCatchUp;
  private readonly intake: CommandIntake;
  private readonly ready$ = latch();
  private readonly done$ = latch();
  private card: AgentCard | undefined;
  private readonly ruling = new Ruling();
  private customChat: ChatHandler | undefined;
  private freeText: FreeTextInterpreter | undefined;
  private readonly defaultChat: ChatHandler;
  private persona: string | undefined;
  private state: State = 'running';
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConnectOptions) {
    super();
    this.name = options.name ?? 'agent';
    this.backoff = new Backoff(options.backoff);
    this.socket = io(options.url, {
      auth: { token: options.token },
      // Reconnection is ours: socket.io's own gives up on a server-side disconnect and cannot tell a
      // refused token from a network error.
      reconnection: false,
      autoConnect: false,
      timeout: options.connectTimeoutMs ?? 10_000,
      transports: ['websocket', 'polling'],
    });

    const ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    const transport = this.transport();
    const onRejected = (message: OutboxMessage, reason: string): void =>
      this.emit('warning', `hub refused ${message.event}: ${reason}`);
    this.logs = new Outbox(transport, {
      ackTimeoutMs,
      limit: options.maxQueuedLogs ?? 1_000,
      onRejected,
      dropNotice: (count) => ({
        event: 'log:report',
        payload: {
          level: 'WARNING',
          content: `${count} log entries were dropped while disconnected (queue full)`,
          localId: randomUUID(),
        },
      }),
    });
    this.replies = new Outbox(transport, { ackTimeoutMs, onRejected });
    this.commands = new CommandDispatcher({
      progress: (payload) => this.emitLive('command:progress', payload),
      result: (payload) => this.replies.push({ event: 'command:result', payload }),
    });
    const commandTimeoutMs = ackTimeoutMs;
    this.intake = new CommandIntake(
      ((event: 'command:claim' | 'command:pending', payload: unknown) =>
        (
          this.socket.timeout(commandTimeoutMs) as unknown as { emitWithAck(ev: string, p: unknown): Promise<unknown> }
        ).emitWithAck(event, payload)) as IntakeCall,
      this.commands,
      (text) => this.emit('warning', text),
    );
    this.chat = new ChatResponder({
      chunk: (payload) => this.emitLive('chat:chunk', payload),
      send: (payload) => this.replies.push({ event: 'chat:send', payload }),
      end: (payload) => this.replies.push({ event: 'chat:end', payload }),
    });
    this.inbox = new InboxCatchUp(
      options.inboxReader ?? httpInboxReader(options.url, options.token, ackTimeoutMs * 2),
      (message) => void this.chat.handle(message),
      (text) => this.emit('warning', text),
    );
    const deterministic = createDefaultChatHandler({
      name: this.name,
      card: () => this.ruledCard(),
      has: (command) => this.commands.has(command),
      ruled: () => this.ruling.known,
      run: (command, args, ctx) => this.runFromChat(command, args, ctx),
      freeText: () => this.freeText,
    });
    this.persona = options.persona;
    this.defaultChat = options.model
      ? createPersonaChatHandler({
          name: this.name,
          model: options.model,
          persona: () => this.persona,
          card: () => this.ruledCard(),
          has: (command) => this.commands.has(command),
          ruled: () => this.ruling.known,
          run: (command, args, ctx) => this.runFromChat(command, args, ctx),
          fallback: deterministic,
        })
      : deterministic;
    // `help` always lists the commands, also for an agent with a chat handler of its own.
    this.chat.setHandler(async (text, ctx) => {
      const help = isHelp(text);
      // A message caught up at connect may come before the hub's ruling: wait for it a moment, so the
      // answer follows the ruling rather than "still connecting". An own handler decides for itself.
      if (this.card && (help || !this.customChat)) await this.ruling.arrived(ackTimeoutMs);
      if (help) return helpText(this.name, this.ruledCard());
      return (this.customChat ?? this.defaultChat)(text, ctx);
    });
    this.wire();
    this.socket.connect();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /**
   * This process's claim id (`command:claim`), fixed for its lifetime. A handler may show it to the hub to
   * prove it is the process that claimed the command (the Ops-Runner's key requests do); keep it private.
   */
  get instance(): string {
    return this.intake.instance;
  }

  /** Logs waiting for the hub, and logs dropped because that queue was full. */
  get stats(): { queuedLogs: number; droppedLogs: number; pendingReplies: number } {
    return { queuedLogs: this.logs.size, droppedLogs: this.logs.dropped, pendingReplies: this.replies.size };
  }

  /** Resolves on the first successful connection; rejects with AuthError if the token is refused. */
  ready(): Promise<void> {
    return this.ready$.promise;
  }

  /** Resolves after `close()`; rejects when the agent stops for good (AuthError). */
  done(): Promise<void> {
    return this.done$.promise;
  }

  /** Publishes the agent's card now (if connected) and after every reconnect. */
  hello(card: AgentCard): this {
    this.card = card;
    if (this.socket.connected) this.sendHello();
    return this;
  }

  /** Reports a log line. Never throws; queued while disconnected, sent in order with acks. */
  log(level: LogLevel, content: string): void {
    if (this.state !== 'running' && this.state !== 'closing') return;
    // A localId per entry: a report resent after a lost ack is stored once.
    this.logs.push({
      event: 'log:report',
      payload: { level, content: truncate(content, LIMITS.logChars), localId: randomUUID() },
    });
  }

  onCommand(name: string, handler: CommandHandler): this {
    this.commands.register(name, handler);
    return this;
  }

  /** Who the agent is, for a model's system prompt (used only when the agent has a model). */
  setPersona(persona: string): this {
    this.persona = persona;
    return this;
  }

  /** Whether a handler is registered under the name (an agent whose card changes at run time adds only new ones). */
  hasCommand(name: string): boolean {
    return this.commands.has(name);
  }

  /** Replaces the default chat handler (help, read-only commands, refusals); `help` still lists the commands. */
  onChat(handler: ChatHandler): this {
    this.customChat = handler;
    return this;
  }

  /**
   * Without a model (or when it fails), free text that is not a command goes here: the program names the
   * read-only command that answers it and words the output. Ruled and checked like a typed command.
   */
  onFreeText(interpret: FreeTextInterpreter): this {
    this.freeText = interpret;
    return this;
  }

  /** The `help` answer built from the card with the hub's ruling, for a custom chat handler that wants it. */
  helpText(): string {
    return helpText(this.name, this.ruledCard());
  }

  /** A read-only command typed in chat: progress streamed, a long result streamed in pieces, then stored whole. */
  private async runFromChat(command: string, args: string, ctx: ChatContext): Promise<string> {
    const { message } = ctx;
    const result = await this.commands.runDirect(command, args, {
      from: { id: message.senderId, name: message.senderName, kind: message.senderKind },
      stream: (text) => ctx.stream(text),
    });
    const reply = result || `${command}: done (no output).`;
    if (reply.length > STREAM_OVER_CHARS) {
      for (let i = 0; i < reply.length; i += STREAM_OVER_CHARS) ctx.stream(reply.slice(i, i + STREAM_OVER_CHARS));
    }
    return reply;
  }

  /**
   * Stops reconnecting, cancels running commands, gives queued logs and results up to `timeoutMs` to
   * reach the hub, then disconnects.
   */
  async close({ timeoutMs = 2_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.state !== 'running') return this.state === 'failed' ? undefined : this.done$.promise;
    this.state = 'closing';
    clearTimeout(this.reconnectTimer);
    this.commands.abortAll('agent is shutting down');
    if (this.socket.connected) {
      const flushed = this.commands.idle().then(() => Promise.all([this.logs.idle(), this.replies.idle()]));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([flushed, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    }
    this.state = 'closed';
    this.socket.disconnect();
    this.ready$.reject(new Error('agent closed before it connected'));
    this.done$.resolve();
  }

  private wire(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.backoff.reset();
      // A new connection: the ruling is asked again (an admin may have changed it while we were away).
      this.ruling.forget();
      if (this.card) this.sendHello();
      this.logs.pump();
      this.replies.pump();
      // Whatever was addressed to the agent while it was away or while pushes were lost arrives now.
      void this.inbox.run();
      void this.intake.catchUp();
      this.ready$.resolve();
      this.emit('connect');
    });
    socket.on('disconnect', (reason) => {
      this.emit('disconnect', reason);
      this.scheduleReconnect(reason);
    });
    socket.on('connect_error', (err: Error & { data?: Partial<HandshakeErrorData> }) => {
      if (err.data?.code === 'UNAUTHORIZED') return this.fail(new AuthError(this.options.url));
      this.scheduleReconnect(err.message);
    });
    // Claimed before it runs: a command may come twice (live and by catch-up) and must run once.
    socket.on('command:run', (run) => void this.intake.deliver(run));
    socket.on('command:cancel', (cancel) => this.commands.cancel(cancel));
    socket.on('chat:message', (message) => {
      this.inbox.live();
      void this.chat.handle(message);
    });
    // The hub's node may have lost pushes on the way (a peer died, Redis came back): catch up now.
    socket.on('sync:hint', () => {
      void this.inbox.run();
      void this.intake.catchUp();
    });
    socket.on('agent:card', (card) => this.ruling.learn(card.commands));
    socket.on('error', (error) =>
      this.emit('warning', `hub reported ${error.code} for ${error.event}: ${error.message}`),
    );
  }

  private scheduleReconnect(reason: string): void {
    if (this.state !== 'running') return;
    clearTimeout(this.reconnectTimer);
    const delayMs = this.backoff.next();
    this.emit('reconnecting', this.backoff.attempts, delayMs, reason);
    this.reconnectTimer = setTimeout(() => {
      if (this.state === 'running' && !this.socket.connected) this.socket.connect();
    }, delayMs);
  }

  private fail(error: Error): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    clearTimeout(this.reconnectTimer);
    this.commands.abortAll(error.message);
    this.socket.disconnect();
    this.ready$.reject(error);
    this.done$.reject(error);
    this.emit('fatal', error);
  }

  private ruledCard(): AgentCard | undefined {
    return this.ruling.apply(this.card);
  }

  private sendHello(): void {
    const card = this.card;
    if (!card) return;
    this.ruling.forget();
    this.socket
      .timeout(this.options.ackTimeoutMs ?? 5_000)
      .emitWithAck('agent:hello', card)
      .then((ack) => {
        if (!ack.ok) this.emit('warning', `hub refused agent:hello: ${ack.error.code}: ${ack.error.message}`);
        else this.ruling.learn(ack.commands);
      })
      .catch(() => undefined); // lost with the connection; the next connect sends it again
  }

  /** Live-only events (progress, chunks): dropped while offline rather than replayed late by socket.io. */
  private emitLive<E extends 'command:progress' | 'chat:chunk'>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): void {
    if (!this.socket.connected) return;
    (this.socket.emit as (ev: string, p: unknown) => void)(event, payload);
  }

  private transport(): AckTransport {
    const socket = this.socket;
    return {
      get connected() {
        return socket.connected;
      },
      async send(message, timeoutMs) {
        // Checked here because socket.io would otherwise buffer the emit and replay it after a reconnect,
        // alongside the outbox's own resend.
        if (!socket.connected) return null;
        try {
          const emitter = socket.timeout(timeoutMs) as unknown as {
            emitWithAck(event: string, payload: unknown): Promise<Ack>;
          };
          return await emitter.emitWithAck(message.event, message.payload);
        } catch {
          return null;
        }
      },
    };
  }
}

/** Connects an agent to a hub. Register handlers right away; they are live once `ready()` resolves. */
export function connect(options: ConnectOptions): Agent {
  return new Agent(options);
}
