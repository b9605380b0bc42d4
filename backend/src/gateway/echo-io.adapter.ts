import { INestApplicationContext, Logger, type WsMessageHandler } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import { guardPublishes } from '../lifecycle/redis-guard';

type Redis = ReturnType<typeof createClient>;
type BoundHandler = (data: unknown, ack: unknown) => unknown;

const HANDLERS = Symbol('echocenter.handlers');
interface HandlerHost {
  [HANDLERS]?: Map<string, BoundHandler>;
  emit(event: string, ...args: unknown[]): boolean;
}

/**
 * Socket.IO server options from our config, and the Redis adapter (pub/sub) when REDIS_URL is set so
 * room broadcasts, disconnectSockets, fetchSockets and serverSideEmit reach every node. Without it the
 * in-memory adapter serves one node. See docs/protocol.md for why pub/sub rather than streams.
 */
export class EchoIoAdapter extends IoAdapter {
  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private readonly logger = new Logger('SocketAdapter');
  private readonly listeners = new Map<string, (...args: unknown[]) => void>();
  private readonly manualAck = new Map<string, boolean>();

  constructor(app: INestApplicationContext, private readonly config: AppConfig) {
    super(app);
  }

  /** Connects to Redis before the gateways start; a wrong REDIS_URL fails the start, not the first emit. */
  async connect(): Promise<void> {
    if (!this.config.redisUrl) return;
    this.pub = createClient({ url: this.config.redisUrl });
    this.sub = this.pub.duplicate();
    // The adapter never handles a failed publish; unguarded, a Redis outage would crash the process.
    guardPublishes(this.pub, this.logger);
    for (const client of [this.pub, this.sub]) client.on('error', (err: Error) => this.logger.error(`redis: ${err.message}`));
    await Promise.all([this.pub.connect(), this.sub.connect()]);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const { corsOrigins, limits } = this.config;
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      // The transport's last line of defence; frames between the configured cap and this one get a
      // PAYLOAD_TOO_LARGE answer on a socket that stays open (PacketGuard), larger ones close it.
      maxHttpBufferSize: limits.payloadBytes * 2,
      cors: corsOrigins.length ? { origin: corsOrigins, credentials: true } : undefined,
    } as ServerOptions) as Server;
    if (this.pub && this.sub) server.adapter(createAdapter(this.pub, this.sub, { key: this.config.redisPrefix }));
    return server;
  }

  /**
   * Nest's version builds an RxJS pipeline per handler per socket (memory for every idle socket, and
   * operators per message). Here each socket keeps only a small table of its bound handlers, and every
   * socket shares one listener function per event name (EventEmitter calls it with the socket as
   * `this`). Semantics stay Nest's: a handler using @Ack() answers itself; otherwise a returned value
   * (or resolved promise, or each value of an observable) is the ack, and `{event, data}` is emitted.
   */
  override bindMessageHandlers(...[socket, handlers]: Parameters<IoAdapter['bindMessageHandlers']>): void {
    const s = socket as unknown as HandlerHost;
    const table = (s[HANDLERS] ??= new Map());
    for (const { message, callback, isAckHandledManually } of handlers as WsMessageHandler[]) {
      table.set(message, callback as BoundHandler);
      this.manualAck.set(message, isAckHandledManually);
      socket.on(message, this.listenerFor(message));
    }
  }

  private listenerFor(message: string): (...args: unknown[]) => void {
    let listener = this.listeners.get(message);
    if (!listener) {
      const adapter = this;
      listener = function (this: HandlerHost, ...args: unknown[]) {
        adapter.dispatch(this, message, args);
      };
      this.listeners.set(message, listener);
    }
    return listener;
  }

  private dispatch(socket: HandlerHost, message: string, args: unknown[]): void {
    const callback = socket[HANDLERS]?.get(message);
    if (!callback) return;
    // Same payload shape as Nest's fromEvent(): one argument as is, several as an array.
    const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args.length ? args : undefined);
    const result = callback(data, ack);
    if (this.manualAck.get(message)) {
      if (result instanceof Promise) result.catch((err: unknown) => this.logger.error(`"${message}" handler failed: ${String(err)}`));
      return;
    }
    void this.answer(socket, message, result, ack);
  }

  private async answer(socket: HandlerHost, message: string, result: unknown, ack: unknown): Promise<void> {
    const reply = (response: unknown) => {
      if (response === null || response === undefined) return;
      const r = response as { event?: string; data?: unknown };
      if (r.event) socket.emit(r.event, r.data);
      else if (typeof ack === 'function') (ack as (res: unknown) => void)(response);
    };
    try {
      const value = await result;
      if (isObservable(value)) value.subscribe({ next: reply, error: (err: unknown) => this.logger.error(`"${message}" handler failed: ${String(err)}`) });
      else reply(value);
    } catch (err) {
      this.logger.error(`"${message}" handler failed: ${String(err)}`);
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all([this.pub, this.sub].map((c) => c?.quit().catch(() => undefined)));
    this.pub = this.sub = null;
  }
}
