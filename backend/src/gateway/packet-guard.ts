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
export const packetGuardFilter: EventFilter = (socket, packet) => (socket.conn as unknown as GuardedConn)[GUARD]?.check(packet) ?? false;

/**
 * Checks every incoming event before any gateway sees it, whichever gateway handles it: the name must
 * be a contract event, the frame within the payload cap, and the socket within its token bucket
 * (refilled at ratePerSec up to rateBurst). A refused event is answered (failed ack or `error` event)
 * and dropped; the socket stays connected. State lives in this one object per socket, hung on its engine
 * connection; packetGuardFilter finds it there.
 */
export class PacketGuard {
  private tokens: number;
  private last = Date.now();
  private frameBytes = 0;
  private lastRateError = 0;

  constructor(private readonly socket: EchoSocket, private readonly limits: Limits) {
    this.tokens = limits.rateBurst;
  }

  static install(socket: EchoSocket, limits: Limits): void {
    const guard = new PacketGuard(socket, limits);
    // The engine hands us each raw frame just before Socket.IO decodes it into the packet checked below;
    // one shared listener (the engine socket is `this`) instead of a closure per connection.
    (socket.conn as unknown as GuardedConn)[GUARD] = guard;
    socket.conn.prependListener('data', measureFrame);
  }

  measure(data: string | Buffer): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit, so short frames skip the byte count.
    this.frameBytes = typeof data !== 'string' ? data.length : data.length * 3 <= this.limits.payloadBytes ? data.length : Buffer.byteLength(data);
  }

  check(packet: unknown[]): boolean {
    const event = packet[0];
    const ack = packet[packet.length - 1];
    const name = typeof event === 'string' ? event : String(event);
    if (!isClientEvent(event)) {
      replyError(this.socket, name, ack, { code: 'UNKNOWN_EVENT', message: `Unknown event "${name.slice(0, 64)}"` });
      // One label for every unknown name: the names are the client's to choose.
      this.socket.data.meter?.event('unknown', 'UNKNOWN_EVENT', performance.now());
      return false;
    }
    if (this.frameBytes > this.limits.payloadBytes) {
      replyError(this.socket, name, ack, { code: 'PAYLOAD_TOO_LARGE', message: `Payload is larger than ${this.limits.payloadBytes} bytes` });
      this.socket.data.meter?.event(name, 'PAYLOAD_TOO_LARGE', performance.now());
      return false;
    }
    if (!this.take()) {
      // Without an ack, one `error` event per second is enough to tell a flooding client.
      const now = Date.now();
      if (typeof ack === 'function' || now - this.lastRateError >= 1000) {
        this.lastRateError = now;
        replyError(this.socket, name, ack, { code: 'RATE_LIMITED', message: `More than ${this.limits.ratePerSec} events per second` });
      }
      this.socket.data.meter?.event(name, 'RATE_LIMITED', performance.now());
      return false;
    }
    return true;
  }

  private take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.rateBurst, this.tokens + ((now - this.last) * this.limits.ratePerSec) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
