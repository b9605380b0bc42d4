import { Injectable, Logger } from '@nestjs/common';
import type { ServerToClientEvents } from '@echocenter/contracts';
import {
  ADMINS_ROOM,
  actorRoom,
  agentReadyRoom,
  HUMANS_ROOM,
  type EchoServer,
  type NodeChannel,
  type NodeChannels,
} from './socket-types';

type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;
type ServerSideHandler = (payload: unknown) => void;

/** Where a broadcast goes: actors' rooms and/or named rooms, optionally minus one socket. */
export interface Audience {
  actors?: number[];
  rooms?: string[];
  exceptSocketId?: string;
}

/**
 * The one way the rest of the backend pushes to clients. Every emit goes through the Socket.IO adapter,
 * so it reaches sockets on any node (Redis adapter) or on this one (in-memory adapter). Calls made before
 * the gateway is up are dropped: nobody can be connected yet.
 */
@Injectable()
export class RealtimeService {
  private server: EchoServer | null = null;
  private multiNode = false;
  private readonly handlers = new Map<NodeChannel, Set<ServerSideHandler>>();
  private readonly logger = new Logger('Realtime');

  /** Called once by the hub gateway in afterInit. */
  attach(server: EchoServer, multiNode: boolean): void {
    this.server = server;
    this.multiNode = multiNode;
    for (const channel of this.handlers.keys()) this.listenRemote(channel);
  }

  toActor<E extends keyof ServerToClientEvents>(actorId: number, event: E, ...args: Args<E>): void {
    this.emit({ actors: [actorId] }, event, ...args);
  }

  toHumans<E extends keyof ServerToClientEvents>(event: E, ...args: Args<E>): void {
    this.emit({ rooms: [HUMANS_ROOM] }, event, ...args);
  }

  toAdmins<E extends keyof ServerToClientEvents>(event: E, ...args: Args<E>): void {
    this.emit({ rooms: [ADMINS_ROOM] }, event, ...args);
  }

  /** One broadcast to several rooms: a socket in more than one of them still gets it once. */
  emit<E extends keyof ServerToClientEvents>(to: Audience, event: E, ...args: Args<E>): void {
    if (!this.server) return;
    const rooms = [...(to.rooms ?? []), ...(to.actors ?? []).map(actorRoom)];
    if (!rooms.length) return;
    let op = this.server.to(rooms);
    if (to.exceptSocketId) op = op.except(to.exceptSocketId);
    (op.emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
  }

  /** To every socket of this node only (Socket.IO and plain); never crosses to other nodes. */
  emitLocal<E extends keyof ServerToClientEvents>(event: E, ...args: Args<E>): void {
    if (!this.server) return;
    (this.server.local.emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
  }

  /** True while the actor has at least one socket on any node. */
  isOnline(actorId: number): Promise<boolean> {
    return this.occupied(actorRoom(actorId));
  }

  /** True while the agent has a socket, on any node, whose `agent:hello` was handled (its card is known). */
  isReady(agentId: number): Promise<boolean> {
    return this.occupied(agentReadyRoom(agentId));
  }

  private async occupied(room: string): Promise<boolean> {
    if (!this.server) return false;
    if ((this.server.of('/').adapter.rooms.get(room)?.size ?? 0) > 0) return true;
    if (!this.multiNode) return false;
    try {
      return (await this.server.in(room).fetchSockets()).length > 0;
    } catch (err) {
      this.logger.warn(`could not ask the other nodes about ${room}: ${String(err)}`);
      return false;
    }
  }

  /** Disconnects every socket of an actor, on every node (token rotated, agent deleted). */
  disconnectActor(actorId: number): void {
    this.server?.in(actorRoom(actorId)).disconnectSockets(true);
  }

  /**
   * Node-to-node notification: delivered to `onServerSide(channel)` handlers on every node, this one
   * included, so a single node behaves exactly like many. The payload must be JSON (it travels as JSON
   * between nodes, and is JSON-copied locally for the same reason).
   */
  serverSideEmit<C extends NodeChannel>(channel: C, payload: NodeChannels[C]): void {
    const local = this.handlers.get(channel);
    if (local?.size) {
      const copy = payload === undefined ? undefined : (JSON.parse(JSON.stringify(payload)) as unknown);
      queueMicrotask(() => this.dispatch(channel, copy));
    }
    // Widened to the union: Socket.IO types every channel's payload as unknown (InterServerEvents).
    if (this.multiNode && this.server) this.server.serverSideEmit(channel as NodeChannel, payload);
  }

  /** Subscribes to a serverSideEmit channel; returns an unsubscribe function. The payload is checked by the handler. */
  onServerSide(channel: NodeChannel, handler: ServerSideHandler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      if (this.server) this.listenRemote(channel);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  private listenRemote(channel: NodeChannel): void {
    if (!this.multiNode || !this.server) return;
    this.server.on(channel, (payload: unknown) => this.dispatch(channel, payload));
  }

  private dispatch(channel: NodeChannel, payload: unknown): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        this.logger.error(
          `server-side handler for "${channel}" failed: ${err instanceof Error ? err.stack : String(err)}`,
        );
      }
    }
  }
}
