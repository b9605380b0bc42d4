import { EventEmitter } from 'node:events';
import type { Namespace } from 'socket.io';
import WebSocket from 'ws';
import type { SocketData } from '../gateway/socket-types';

type AnyListener = (...packet: unknown[]) => void;
type Listener = (...args: unknown[]) => void;

/** Close codes a plain socket ends with (4401 mirrors HTTP 401: do not reconnect with that token). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_NODE_LEAVING = 1012;

/**
 * What the hub's Socket.IO code reads of an engine connection, over a `ws` socket: the packet guard hangs
 * its state here and measures frames through `data`, the slow-consumer guard reads `bufferedAmount`
 * through `transport.socket`, the drain and the slow-consumer guard close it.
 */
class PlainConn extends EventEmitter {
  request: unknown = null;
  readonly writeBuffer: never[] = [];
  readonly transport: { socket: WebSocket };

  constructor(private readonly ws: WebSocket) {
    super();
    this.transport = { socket: ws };
  }

  get readyState(): string {
    return this.ws.readyState === WebSocket.OPEN ? 'open' : 'closed';
  }

  /** Drain: the node is leaving, reconnect elsewhere (1012). Slow consumer (`discard`): cut at once. */
  close(discard?: boolean): void {
    if (discard) this.ws.terminate();
    else this.ws.close(CLOSE_NODE_LEAVING, 'node shutting down');
  }
}

/**
 * The bridge: a plain WebSocket registered in the Socket.IO namespace as if it were one of its sockets.
 * It joins rooms in the adapter (actor:<id>, humans, admins, its own id), so every RealtimeService push,
 * disconnectSockets (revocation), fetchSockets (isOnline) and presence count reaches it on any node; the
 * adapter hands each broadcast packet to `notifyOutgoingListeners`, and `send` turns it into a frame.
 * Client frames enter through the same catch-all listener as Socket.IO events (`onAny`), so the packet
 * guard, the drain and the gateways' handlers run unchanged. Only what the hub uses of a Socket is here.
 */
export class PlainSocket {
  readonly rooms = new Set<string>();
  readonly conn: PlainConn;
  readonly handshake: {
    headers: Record<string, never>;
    time: string;
    address: string;
    xdomain: boolean;
    secure: boolean;
    issued: number;
    url: string;
    query: Record<string, never>;
    auth: Record<string, never>;
  };
  // The adapter writes encoded packets here for Socket.IO clients; a plain socket takes the decoded packet.
  readonly client = { writeToEngine: (): void => undefined };
  connected = true;
  private listeners: { event: string; listener: Listener; once: boolean }[] = [];
  private readonly anyListeners: AnyListener[] = [];

  constructor(
    readonly id: string,
    readonly data: SocketData,
    private readonly ws: WebSocket,
    private readonly nsp: Namespace,
    address: string,
    private readonly send: (event: string, args: unknown[]) => void,
  ) {
    this.conn = new PlainConn(ws);
    // No headers or query: fetchSockets carries the handshake to other nodes, and the query may hold the token.
    const now = Date.now();
    this.handshake = {
      headers: {},
      time: new Date(now).toString(),
      address,
      xdomain: false,
      secure: false,
      issued: now,
      url: '/api/ws',
      query: {},
      auth: {},
    };
    ws.once('close', () => this.closed());
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** Enters the namespace: its own-id room, then every `connection` listener (the gateways' handleConnection). */
  enter(): void {
    this.nsp.sockets.set(this.id, this as never);
    this.join(this.id);
    (this.nsp as unknown as { emitReserved(ev: string, ...a: unknown[]): void }).emitReserved('connection', this);
  }

  join(rooms: string | string[]): void {
    const list = Array.isArray(rooms) ? rooms : [rooms];
    if (!this.connected) return;
    void this.nsp.adapter.addAll(this.id, new Set(list));
    for (const room of list) this.rooms.add(room);
  }

  leave(room: string): void {
    void this.nsp.adapter.del(this.id, room);
    this.rooms.delete(room);
  }

  // Listeners on the socket's own events (`disconnect`, `error`), called with the socket as `this` as
  // Socket.IO does: the adapter's shared disconnect listener reads the socket from `this`.
  on(event: string, listener: Listener): this {
    this.listeners.push({ event, listener, once: false });
    return this;
  }

  once(event: string, listener: Listener): this {
    this.listeners.push({ event, listener, once: true });
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners = this.listeners.filter((l) => l.event !== event || l.listener !== listener);
    return this;
  }

  onAny(listener: AnyListener): this {
    this.anyListeners.push(listener);
    return this;
  }

  /** As on a Socket.IO socket: to the client (e.g. the `error` event). */
  emit(event: string, ...args: unknown[]): boolean {
    if (this.connected) this.send(event, args);
    return true;
  }

  /** Called by the adapter for every broadcast this socket is in, on whichever node it was emitted. */
  notifyOutgoingListeners(packet: { data?: unknown[] }): void {
    const [event, ...args] = packet.data ?? [];
    if (this.connected && typeof event === 'string') this.send(event, args);
  }

  /** A client event, as Socket.IO would deliver it: [event, payload, ack]. */
  receive(rawFrame: string, packet: unknown[]): void {
    if (!this.connected) return;
    this.conn.emit('data', rawFrame);
    for (const listener of this.anyListeners) listener.apply(this, packet);
  }

  /** Revocation, expiry or a failed re-check: the hub no longer lets this token in. */
  disconnect(): this {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(CLOSE_UNAUTHORIZED, 'UNAUTHORIZED');
    this.closed();
    return this;
  }

  private closed(): void {
    if (!this.connected) return;
    this.connected = false;
    this.nsp.adapter.delAll(this.id);
    this.nsp.sockets.delete(this.id);
    this.rooms.clear();
    const heard = this.listeners.filter((l) => l.event === 'disconnect');
    this.listeners = this.listeners.filter((l) => !(l.once && l.event === 'disconnect'));
    for (const { listener } of heard) listener.call(this, 'server namespace disconnect');
  }
}
