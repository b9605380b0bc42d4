import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'socket.io';
import type { SocketError } from '@echocenter/contracts';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { addEventFilter } from '../gateway/event-filters';
import { replyError } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { DrainState } from './drain-state';

const SHUTTING_DOWN: SocketError = { code: 'UNAVAILABLE', message: 'This node is shutting down; reconnect and resend' };

/**
 * Graceful shutdown of the socket side, kept apart from the hub gateway so it only adds behaviour:
 *  1. on the signal (or app.close()): health turns 503, the HTTP listener stops accepting connections,
 *     handshakes and new events are refused with UNAVAILABLE (a refusal, never a false ack);
 *  2. events already being handled finish and get their acks (bounded by SHUTDOWN_DRAIN_MS);
 *  3. every socket's transport is closed. Clients see "transport close", the one reason every client
 *     (socket.io's own reconnection, the console, the agent SDK) reconnects on, and the load balancer
 *     sends them to another node. A Socket.IO disconnect packet ("io server disconnect") would instead
 *     tell plain socket.io clients not to come back.
 * The rest of Nest's shutdown (presence rows, the chat writer, the database) runs after this.
 */
@Injectable()
@WebSocketGateway()
export class DrainGateway implements OnGatewayInit, OnModuleDestroy {
  private server: Server | null = null;
  private drained: Promise<void> | null = null;
  private readonly logger = new Logger('Shutdown');
  private readonly limits: AppConfig['shutdown'];

  constructor(
    private readonly state: DrainState,
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = config.shutdown;
  }

  afterInit(server: Server): void {
    this.server = server;
    server.use((_socket, next) => {
      if (!this.state.draining) return next();
      next(Object.assign(new Error(SHUTTING_DOWN.message), { data: { code: 'UNAVAILABLE' } }));
    });
    addEventFilter(server, (socket, packet) => this.admit(socket, packet));
  }

  /** Refuses events while draining; counts an acked one until its ack is sent, whichever gateway answers. */
  private admit(socket: EchoSocket, packet: unknown[]): boolean {
    const last = packet.length - 1;
    const ack = packet[last];
    if (this.state.draining) {
      replyError(socket, String(packet[0]), ack, SHUTTING_DOWN);
      return false;
    }
    if (typeof ack === 'function') {
      this.state.started();
      let done = false;
      packet[last] = (...args: unknown[]) => {
        if (!done) {
          done = true;
          this.state.finished();
        }
        (ack as (...a: unknown[]) => void)(...args);
      };
    }
    return true;
  }

  /** Step 1, synchronous so nothing is accepted after the signal handler returns. */
  begin(): void {
    if (this.state.draining) return;
    this.state.begin();
    const server = this.http.httpAdapter?.getHttpServer() as HttpServer | undefined;
    // Stops new connections; open ones (sockets, keep-alive requests in progress) are left alone.
    if (server?.listening) server.close();
  }

  /** Steps 1 to 3; safe to call more than once. */
  drain(): Promise<void> {
    this.begin();
    this.drained ??= this.run();
    return this.drained;
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }

  private async run(): Promise<void> {
    const started = Date.now();
    const left = await this.state.idle(this.limits.drainMs);
    const sockets = this.server ? [...this.server.of('/').sockets.values()] : [];
    if (sockets.length || left)
      this.logger.log(
        `draining: ${left} event(s) still in flight after ${Date.now() - started} ms; closing ${sockets.length} socket(s)`,
      );
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.disconnected) return resolve();
            const timer = setTimeout(resolve, 1000);
            timer.unref();
            s.once('disconnect', () => (clearTimeout(timer), resolve()));
            s.conn.close();
          }),
      ),
    );
  }
}
