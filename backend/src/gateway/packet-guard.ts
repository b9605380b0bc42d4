import type { AppConfig } from '../config/config';
import { isClientEvent } from './client-events';
import type { EventFilter } from './event-filters';
import { replyError } from './socket-errors';
import type { EchoSocket } from './socket-types';

type Limits = AppConfig['limits'];

const GUARD = Symbol('echocenter.packetGuard');
interface GuardedConn {
  [GUARD]?: PacketGuard;
}

function measureFrame(this: GuardedConn, data: string | Buffer): void {
  this[GUARD]?.measure(data);
}

/** The event filter every socket's events pass (added once per server); a socket without a guard is not served. */
export const packetGuardFilter: EventFilter = (socket, packet) =>
  (socket.conn as unknown as GuardedConn)[GUARD]?.check(packet) ?? false;

/**
 * One token bucket per actor on this node, shared by all its sockets (refilled at ratePerSec up to
 * rateBurst): twenty sockets of one account get the rate of one, not twenty times it. Kept while the
 * actor holds a socket here.
 */
export class ActorBucket {
  tokens: number;
  last = Date.now();
  sockets = 0;

  constructor(private readonly limits: Limits) {
    this.tokens = limits.rateBurst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.rateBurst, this.tokens + ((now - this.last) * this.limits.ratePerSec) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A node's buckets by actor id (one map per server, owned by the hub gateway). */
export type RateBuckets = Map<number, ActorBucket>;

/**
 * Checks every incoming event before any gateway sees it, whichever gateway handles it: the name must
 * be a contract event, the packet within the payload cap (its text frame and every binary attachment
 * together), and the actor within its token bucket on this node (shared by its sockets). A refused event
 * is answered (failed ack or `error` event) and dropped; the socket stays connected. State lives in this
 * one object per socket, hung on its engine connection; packetGuardFilter finds it there.
 */
export class PacketGuard {
  private packetBytes = 0;
  private lastRateError = 0;
  private readonly bucket: ActorBucket;

  constructor(
    private readonly socket: EchoSocket,
    private readonly limits: Limits,
    private readonly buckets: RateBuckets,
  ) {
    const actorId = socket.data.actor.id;
    let bucket = buckets.get(actorId);
    if (!bucket) {
      bucket = new ActorBucket(limits);
      buckets.set(actorId, bucket);
    }
    bucket.sockets++;
    this.bucket = bucket;
  }

  static install(socket: EchoSocket, limits: Limits, buckets: RateBuckets): void {
    const guard = new PacketGuard(socket, limits, buckets);
    // The engine hands us each raw frame just before Socket.IO decodes it into the packet checked below;
    // one shared listener (the engine socket is `this`) instead of a closure per connection.
    (socket.conn as unknown as GuardedConn)[GUARD] = guard;
    socket.conn.prependListener('data', measureFrame);
  }

  /** Gives the actor's bucket back; called once when the socket disconnects. */
  static uninstall(socket: EchoSocket): void {
    const conn = socket.conn as unknown as GuardedConn | undefined;
    const guard = conn?.[GUARD];
    if (!guard) return;
    delete conn[GUARD];
    const actorId = socket.data.actor.id;
    if (--guard.bucket.sockets <= 0 && guard.buckets.get(actorId) === guard.bucket) guard.buckets.delete(actorId);
  }

  measure(data: string | Buffer): void {
    // A packet is one text frame followed by its binary attachments, each a frame of its own: a text
    // frame starts a packet, a binary one adds to it, so an attachment cannot slip past the cap.
    // UTF-8 needs at most 3 bytes per UTF-16 unit, so short frames skip the byte count.
    if (typeof data !== 'string') this.packetBytes += data.length;
    else this.packetBytes = data.length * 3 <= this.limits.payloadBytes ? data.length : Buffer.byteLength(data);
  }

  check(packet: unknown[]): boolean {
    const event = packet[0];
    const ack = packet[packet.length - 1];
    const name = typeof event === 'string' ? event : String(event);
    const bytes = this.packetBytes;
    this.packetBytes = 0;
    if (!isClientEvent(event)) {
      replyError(this.socket, name, ack, { code: 'UNKNOWN_EVENT', message: `Unknown event "${name.slice(0, 64)}"` });
      // One label for every unknown name: the names are the client's to choose.
      this.socket.data.meter?.event('unknown', 'UNKNOWN_EVENT', performance.now());
      return false;
    }
    if (bytes > this.limits.payloadBytes) {
      replyError(this.socket, name, ack, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `Payload is larger than ${this.limits.payloadBytes} bytes`,
      });
      this.socket.data.meter?.event(name, 'PAYLOAD_TOO_LARGE', performance.now());
      return false;
    }
    if (!this.bucket.take()) {
      // Without an ack, one `error` event per second is enough to tell a flooding client.
      const now = Date.now();
      if (typeof ack === 'function' || now - this.lastRateError >= 1000) {
        this.lastRateError = now;
        replyError(this.socket, name, ack, {
          code: 'RATE_LIMITED',
          message: `More than ${this.limits.ratePerSec} events per second`,
        });
      }
      this.socket.data.meter?.event(name, 'RATE_LIMITED', performance.now());
      return false;
    }
    return true;
  }
}
