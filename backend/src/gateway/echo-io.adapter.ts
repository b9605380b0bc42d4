import { INestApplicationContext, Logger } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { GATEWAY_METADATA, MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { WsParamtype } from '@nestjs/websockets/enums/ws-paramtype.enum';
import type * as RedisAdapter from '@socket.io/redis-adapter';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { AppConfig } from '../config/config';
import { createRedisClient, type RedisClient } from '../lifecycle/redis-client';
import { guardPublishes } from '../lifecycle/redis-guard';
import type { HubMetrics } from '../observability/hub-metrics';
import { batchWrites, type EngineConnection } from './batched-writes';
import { eventFilters, type EventFilter } from './event-filters';
import { SyncHints } from './sync-hints';
import { replyError } from './socket-errors';
import type { EchoSocket } from './socket-types';

type EventHandler = (client: unknown, data: unknown, ack: unknown) => unknown;
type SocketListener = (this: Socket, ...args: unknown[]) => void;

interface Route {
  instance: object;
  handler: EventHandler;
}

/** The one parameter list every @SubscribeMessage handler has: @ConnectedSocket(), @MessageBody(), @Ack(). */
const PLAIN_PARAMS = [`${WsParamtype.SOCKET}:0`, `${WsParamtype.PAYLOAD}:1`, `${WsParamtype.ACK}:2`].sort().join();

/**
 * Socket.IO server options from our config, and the Redis adapter (pub/sub) when REDIS_URL is set so
 * room broadcasts, disconnectSockets, fetchSockets and serverSideEmit reach every node. Without it the
 * in-memory adapter serves one node. See docs/protocol.md for why pub/sub rather than streams.
 */
export class EchoIoAdapter extends IoAdapter {
  private pub: RedisClient | null = null;
  private sub: RedisClient | null = null;
  private readonly logger = new Logger('SocketAdapter');
  private table: Map<string, Route> | null = null;
  private readonly disconnectHandlers: ((client: unknown) => void)[] = [];
  private filters: EventFilter[] = [];
  private socketsHooked = false;
  // Listeners shared by every socket: EventEmitter calls them with the socket as `this`.
  private readonly onEvent: SocketListener;
  private readonly onDisconnect: SocketListener;
  private readonly onError: SocketListener;

  /**
   * `hubMetrics`: where the Redis gauge is reported; the app passes it (an adapter booted in a unit test has no
   * ObservabilityModule, and Nest's `get` of a missing provider ends the process rather than throwing).
   */
  constructor(
    private readonly nest: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly hubMetrics: HubMetrics | null = null,
  ) {
    super(nest);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- Socket.IO calls onEvent with the socket as `this`
    const adapter = this;
    this.onEvent = function (...packet) {
      adapter.dispatch(this, packet);
    };
    this.onDisconnect = function () {
      for (const handle of adapter.disconnectHandlers) handle(this);
    };
    // Socket.IO emits `error` on the socket for a client-sent "error" event (refused by the packet
    // guard) and for a broken connection (closed by Socket.IO itself); unheard, either would throw.
    this.onError = function (err) {
      if (err instanceof Error) adapter.logger.debug(`socket ${this.id}: ${err.message}`);
    };
  }

  /** Connects to Redis before the gateways start; a wrong REDIS_URL fails the start, not the first emit. */
  async connect(): Promise<void> {
    if (!this.config.redisUrl) return;
    this.pub = createRedisClient(this.config.redisUrl);
    this.sub = createRedisClient(this.config.redisUrl);
    // The adapter never handles a failed publish; unguarded, a Redis outage would crash the process.
    guardPublishes(this.pub, this.logger);
    for (const client of [this.pub, this.sub])
      client.on('error', (err: Error) => this.logger.error(`redis: ${err.message}`));
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    // Listened only now: each `ready` from here on is a reconnect after an outage, and pub/sub replays
    // nothing published meanwhile, so this node's sockets are told to catch up (SyncHints).
    for (const client of [this.pub, this.sub]) client.on('ready', () => this.linkRestored());
  }

  private linkRestored(): void {
    try {
      this.nest.get(SyncHints, { strict: false }).linkRestored();
    } catch (err) {
      this.logger.warn(`could not tell sockets to catch up: ${String(err)}`);
    }
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const { corsOrigins, limits } = this.config;
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      // The transport's last line of defence; frames between the configured cap and this one get a
      // PAYLOAD_TOO_LARGE answer on a socket that stays open (PacketGuard), larger ones close it.
      maxHttpBufferSize: limits.payloadBytes * 2,
      // Upgrades on other paths are /api/ws's (PlainWsGateway), which may take longer than engine.io's 1 s
      // to check a token; PlainWsGateway closes upgrades on unknown paths itself.
      destroyUpgrade: false,
      cors: corsOrigins.length ? { origin: corsOrigins, credentials: true } : undefined,
    } as ServerOptions) as Server;
    if (this.pub && this.sub) {
      // Loaded only with Redis, like the client.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
      const { createAdapter } = require('@socket.io/redis-adapter') as typeof RedisAdapter;
      server.adapter(createAdapter(this.pub, this.sub, { key: this.config.redisPrefix }));
    }
    this.filters = eventFilters(server);
    this.hubMetrics?.redisReadyWith(() => !!this.pub?.isReady && !!this.sub?.isReady);
    server.engine.on('connection', (conn: unknown) => batchWrites(conn as EngineConnection));
    // Every gateway exists by now: a handler we could not call right fails the start, not a connection.
    this.routes();
    return server;
  }

  /**
   * Per socket, Nest binds every @SubscribeMessage handler to the socket (`callback.bind(instance, client)`)
   * and hands each gateway's disconnect hook over as a closure of its own: kept, that is ~2 KB a socket,
   * 40 MB at 19,000 idle agents. Here nothing of that is kept per socket: one catch-all listener shared by
   * all sockets runs the event filters (packet guard, drain) and calls the gateway method found once in
   * Nest's metadata. Socket.IO calls catch-all listeners before socket middleware, so socket-level checks
   * are event filters (event-filters.ts), never `socket.use()`. Our handlers take exactly
   * (@ConnectedSocket, @MessageBody, @Ack) and use no guards, pipes, interceptors or filters: they answer
   * themselves through handleEvent. One that does not fails the start instead of being called wrong.
   */
  override bindMessageHandlers(): void {}

  /** Nest calls this once per gateway; the first call hooks the shared listeners onto every socket. */
  override bindClientConnect(server: Server, callback: (...args: unknown[]) => void): void {
    if (!this.socketsHooked) {
      this.socketsHooked = true;
      server.on('connection', (socket) => {
        socket.onAny(this.onEvent);
        socket.on('disconnect', this.onDisconnect);
        socket.on('error', this.onError);
      });
    }
    super.bindClientConnect(server, callback);
  }

  /** Nest's per-gateway closure goes unused: onDisconnect calls every gateway's handleDisconnect. */
  override bindClientDisconnect(): void {}

  /** Every gateway's @SubscribeMessage methods, read once from Nest's metadata. */
  private routes(): Map<string, Route> {
    if (this.table) return this.table;
    const table = new Map<string, Route>();
    const scanner = new MetadataScanner();
    const gateways = this.nest
      .get(DiscoveryService)
      .getProviders()
      .map((w) => w.instance as Record<string, unknown> | undefined)
      .filter(
        (i): i is Record<string, unknown> =>
          !!i && typeof i === 'object' && !!Reflect.getMetadata(GATEWAY_METADATA, i.constructor),
      );
    for (const instance of gateways) {
      if (typeof instance.handleDisconnect === 'function')
        this.disconnectHandlers.push((instance.handleDisconnect as (c: unknown) => void).bind(instance));
      for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = instance[name] as EventHandler;
        if (!Reflect.getMetadata(MESSAGE_MAPPING_METADATA, handler)) continue;
        const message = Reflect.getMetadata(MESSAGE_METADATA, handler) as string;
        const where = `${instance.constructor.name}.${name}`;
        const params = Object.keys(
          (Reflect.getMetadata(ROUTE_ARGS_METADATA, instance.constructor, name) ?? {}) as object,
        )
          .sort()
          .join();
        if (params !== PLAIN_PARAMS)
          throw new Error(`${where} must take exactly (@ConnectedSocket(), @MessageBody(), @Ack())`);
        for (const key of [GUARDS_METADATA, PIPES_METADATA, INTERCEPTORS_METADATA, EXCEPTION_FILTERS_METADATA]) {
          if (Reflect.getMetadata(key, handler) || Reflect.getMetadata(key, instance.constructor))
            throw new Error(`${where}: socket handlers use no ${key.replace(/_/g, '')}`);
        }
        if (table.has(message)) throw new Error(`socket event "${message}" is handled twice (${where})`);
        table.set(message, { instance, handler });
      }
    }
    this.table = table;
    return table;
  }

  private dispatch(socket: Socket, packet: unknown[]): void {
    for (const filter of this.filters) if (!filter(socket as EchoSocket, packet)) return;
    const [message, ...args] = packet;
    const route = this.table?.get(message as string);
    if (!route) {
      // A name the filters let through that no gateway handles still gets its answer: an ack left
      // unanswered would keep the drain counting it in flight, and the client waiting.
      replyError(socket as EchoSocket, String(message), args[args.length - 1], {
        code: 'UNKNOWN_EVENT',
        message: `No handler for "${String(message).slice(0, 64)}"`,
      });
      // Under one label: the names are the client's to choose.
      (socket as EchoSocket).data.meter?.event('unknown', 'UNKNOWN_EVENT', performance.now());
      return;
    }
    // Same payload shape as Nest's fromEvent(): one argument as is, several as an array.
    const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args.length ? args : undefined);
    const failed = (err: unknown) => this.logger.error(`"${String(message)}" handler failed: ${String(err)}`);
    try {
      const result = route.handler.call(route.instance, socket, data, ack);
      if (result instanceof Promise) result.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all([this.pub, this.sub].map((c) => c?.quit().catch(() => undefined)));
    this.pub = this.sub = null;
  }
}
