import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { HandshakeErrorData } from '@echocenter/contracts';
import { Subscription } from 'rxjs';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { addEventFilter } from './event-filters';
import { HandshakeGate } from './handshake-gate';
import { PacketGuard, packetGuardFilter, type RateBuckets } from './packet-guard';
import { PresenceService } from './presence.service';
import { SocketMeter } from '../observability/socket-meter';
import { RealtimeService } from './realtime.service';
import { SessionExpiry } from './session-expiry';
import { SocketAuthService } from './socket-auth.service';
import { ADMINS_ROOM, actorRoom, HUMANS_ROOM, type EchoServer, type EchoSocket } from './socket-types';

function handshakeError(code: HandshakeErrorData['code'], message: string): Error {
  return Object.assign(new Error(message), { data: { code } satisfies HandshakeErrorData });
}

/**
 * The connection lifecycle every other gateway builds on: handshake auth, rooms, the per-socket packet
 * guard, presence, revocation (agent tokens, account changes, JWT expiry), and pushes of domain events
 * (logs) to humans.
 */
@WebSocketGateway()
export class HubGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly subscriptions = new Subscription();
  private readonly logger = new Logger('Gateway');
  private readonly sessionExpiry = new SessionExpiry();
  /** Handshakes let through the cap whose socket has not joined its rooms yet: their place, to give back. */
  private readonly admitting = new WeakMap<EchoSocket, () => void>();
  /** Event rate per actor on this node, shared by its sockets. */
  readonly rateBuckets: RateBuckets = new Map();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: SocketAuthService,
    private readonly gate: HandshakeGate,
    private readonly realtime: RealtimeService,
    private readonly presence: PresenceService,
    private readonly events: DomainEventBus,
    private readonly meter: SocketMeter,
  ) {}

  afterInit(server: EchoServer): void {
    this.realtime.attach(server, this.config.redisUrl !== null);
    const rooms = server.of('/').adapter.rooms;
    this.presence.useLocalCounter((actorId) => rooms.get(actorRoom(actorId))?.size ?? 0);
    addEventFilter(server, packetGuardFilter);

    server.use((socket, next) => {
      const address = this.gate.addressOf(socket.handshake.headers, socket.handshake.address);
      if (!this.gate.addressAllowed(address))
        return next(handshakeError('RATE_LIMITED', 'Too many refused handshakes from this address'));
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.auth.authenticate(token).then(
        (identity) => {
          if (!identity) {
            this.gate.failed(address);
            return next(handshakeError('UNAUTHORIZED', 'Unauthorized'));
          }
          const release = this.gate.admit(server, identity.actor);
          if (!release) return next(handshakeError('TOO_MANY_SOCKETS', 'Too many sockets for this account'));
          socket.data.actor = identity.actor;
          socket.data.expiresAt = identity.expiresAt;
          socket.data.tokenVersion = identity.tokenVersion;
          // The place stays taken until the socket is in its actor's room (handleConnection, on the next tick),
          // and is given back there, not later: counted in the room and as admitting at once, it made a
          // concurrent handshake of the same actor see one socket too many. setImmediate covers a socket that
          // never connects (closed meanwhile); releasing twice is a no-op.
          this.admitting.set(socket, release);
          next();
          setImmediate(release);
        },
        (err: unknown) => {
          this.logger.error(`handshake failed: ${err instanceof Error ? err.message : String(err)}`);
          next(handshakeError('UNAVAILABLE', 'Try again later'));
        },
      );
    });

    this.subscriptions.add(
      this.events.on('logs.created', 'gateway.logPush', (log) => this.realtime.toHumans('log:new', log)),
    );
    // Through the adapter, so the agent's sockets go on whichever node holds them.
    this.subscriptions.add(
      this.events.on('agents.credentialsRevoked', 'gateway.revocation', ({ agentId }) =>
        this.realtime.disconnectActor(agentId),
      ),
    );
    // Role, disabled, deleted, password, sign out everywhere: the handshake's view of the user is stale.
    this.subscriptions.add(
      this.events.on('users.sessionsEnded', 'gateway.sessionEnd', ({ userId }) =>
        this.realtime.disconnectActor(userId),
      ),
    );
  }

  handleConnection(client: EchoSocket): void {
    const actor = client.data.actor;
    const rooms = [actorRoom(actor.id)];
    if (actor.kind === 'ADMIN' || actor.kind === 'MEMBER') rooms.push(HUMANS_ROOM);
    if (actor.kind === 'ADMIN') rooms.push(ADMINS_ROOM);
    void client.join(rooms);
    this.admitting.get(client)?.();
    this.admitting.delete(client);
    // The handshake has copied what anyone reads (headers, auth); the HTTP upgrade request would otherwise
    // stay referenced by every socket for its whole life (Socket.IO's memory-usage advice).
    (client.conn as unknown as { request: unknown }).request = null;
    PacketGuard.install(client, this.config.limits, this.rateBuckets);
    // Not enumerable: socket.data crosses nodes as JSON (the Redis adapter's fetchSockets), and the meter holds
    // the metrics registry, which is neither serialisable nor anyone else's business.
    Object.defineProperty(client.data, 'meter', {
      value: this.meter,
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.meter.connected(actor.kind, 1);
    if (client.data.expiresAt) this.sessionExpiry.arm(client, client.data.expiresAt);
    this.presence.socketsChanged(actor.id);
    if (client.data.tokenVersion !== null) this.recheck(client, client.data.tokenVersion);
  }

  /** Closes a human socket whose account changed while it was being let in (see SocketAuthService.stillCurrent). */
  private recheck(client: EchoSocket, tokenVersion: number): void {
    this.auth.stillCurrent(client.data.actor, tokenVersion).then(
      (current) => {
        if (!current) client.disconnect(true);
      },
      (err: unknown) =>
        this.logger.warn(`re-checking socket ${client.id}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  handleDisconnect(client: EchoSocket): void {
    this.sessionExpiry.disarm(client);
    PacketGuard.uninstall(client);
    const actor = client.data.actor as EchoSocket['data']['actor'] | undefined;
    if (actor) this.presence.socketsChanged(actor.id);
    if (actor && client.data.meter) this.meter.connected(actor.kind, -1);
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
    this.sessionExpiry.clear();
  }
}
