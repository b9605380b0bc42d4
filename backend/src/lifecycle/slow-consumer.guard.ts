import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** What the engine keeps for one connection; private in its typings, stable across engine.io 6. */
interface EngineConn {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
  readyState?: string;
  close(discard?: boolean): void;
}

function bytesOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data && typeof (data as ArrayBufferLike).byteLength === 'number') return (data as ArrayBufferLike).byteLength;
  return 0;
}

/** Bytes queued for a connection: packets waiting in the engine plus what the WebSocket has not written. */
export function queuedBytes(conn: EngineConn): number {
  let n = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const p of conn.writeBuffer ?? []) n += bytesOf(p.data);
  return n;
}

/**
 * A client that stops reading makes the engine queue every packet addressed to it: Socket.IO has no
 * bound of its own (only the ping timeout, ~45 s, ends it, and 45 s of a busy log stream is a lot).
 * Every 250 ms this looks at each local connection with something queued and closes the transport of
 * one over SOCKET_MAX_QUEUED_BYTES (default 8 MiB). The client reconnects like after any network drop
 * and catches up from the database (?after=), so nothing stored is lost to it; the node's memory stays
 * bounded by connections x limit instead of growing with what others send.
 */
@Injectable()
@WebSocketGateway()
export class SlowConsumerGuard implements OnGatewayInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private readonly limit: number;
  private readonly logger = new Logger('SlowConsumer');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.limits.maxQueuedBytes;
  }

  afterInit(server: Server): void {
    this.timer = setInterval(() => this.sweep(server), 250);
    this.timer.unref();
  }

  sweep(server: Server): number {
    let closed = 0;
    for (const socket of server.of('/').sockets.values()) {
      const conn = socket.conn as unknown as EngineConn;
      if (conn.readyState !== 'open' || (!conn.writeBuffer?.length && !conn.transport?.socket?.bufferedAmount))
        continue;
      const queued = queuedBytes(conn);
      if (queued <= this.limit) continue;
      closed++;
      this.logger.warn(
        `closing ${describe(socket)}: ${queued} bytes queued for a client that is not reading (limit ${this.limit})`,
      );
      // discard: a plain close waits for the queue to drain, which a client that never reads never lets
      // happen; terminate: the WebSocket's own close handshake would sit behind the stuck bytes for 30 s.
      conn.close(true);
      conn.transport?.socket?.terminate?.();
    }
    return closed;
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

function describe(socket: Socket): string {
  const actor = (socket.data as { actor?: { id: number; kind: string } } | undefined)?.actor;
  return actor ? `socket ${socket.id} of ${actor.kind} ${actor.id}` : `socket ${socket.id}`;
}
