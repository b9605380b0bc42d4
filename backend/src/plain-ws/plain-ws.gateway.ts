import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { HandshakeGate } from '../gateway/handshake-gate';
import type { EchoServer } from '../gateway/socket-types';
import { SocketAuthService } from '../gateway/socket-auth.service';
import { DrainGateway } from '../lifecycle/drain.gateway';
import { DrainState } from '../lifecycle/drain-state';
import { envelopeError, parseFrame, toEnvelope, type Envelope, type FrameRefusal, type InboundFrame } from './envelope';
import { PlainSocket } from './plain-socket';

export const PLAIN_WS_PATH = '/api/ws';
// Like Socket.IO's pingInterval/pingTimeout: a peer that has not answered the last ping by the next one is cut.
const PING_INTERVAL_MS = 25_000;

type Job = (done: () => void) => void;
interface FrameQueue {
  jobs: Job[];
  busy: boolean;
}

type Ack =
  | { ok: true; message?: { id: number }; log?: { id: number } }
  | { ok: false; error: Parameters<typeof envelopeError>[0] };

/** The token from `Authorization: Bearer …`, else from `?token=` (the original hub's way). */
export function upgradeToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^Bearer /i.test(header)) return header.slice(7).trim();
  return new URL(req.url ?? '/', 'http://hub').searchParams.get('token') ?? undefined;
}

const STATUS_TEXT = { 401: 'Unauthorized', 429: 'Too Many Requests', 503: 'Service Unavailable' } as const;

function refuseUpgrade(socket: Duplex, status: 401 | 429 | 503, code: string): void {
  const body = JSON.stringify({
    statusCode: status,
    code,
    message: status === 401 ? 'Unauthorized' : 'Try again later',
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * `GET /api/ws`: plain WebSocket clients speaking the original EchoCenter envelope (docs/protocol.md).
 * The HTTP server's `upgrade` for this path is taken here (Socket.IO keeps /socket.io); the token is
 * checked like Socket.IO's handshake (SocketAuthService) before the upgrade, then the socket enters the
 * Socket.IO namespace as a PlainSocket, so everything after that — rooms, re-check, presence, revocation,
 * expiry, limits, handlers — is the hub's one code path. This file only translates frames.
 */
@WebSocketGateway()
export class PlainWsGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('PlainWs');
  private wss: WebSocketServer | null = null;
  private readonly alive = new WeakSet<WebSocket>();
  private pinger: NodeJS.Timeout | null = null;
  private readonly queues = new WeakMap<WebSocket, FrameQueue>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: SocketAuthService,
    private readonly gate: HandshakeGate,
    private readonly drain: DrainState,
    private readonly drainer: DrainGateway,
    private readonly http: HttpAdapterHost,
  ) {}

  afterInit(io: Server): void {
    const httpServer = this.http.httpAdapter.getHttpServer() as HttpServer;
    // Frames over twice the cap are cut by the transport (close 1009), like Socket.IO's maxHttpBufferSize.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.limits.payloadBytes * 2,
      perMessageDeflate: false,
    });
    const ioPath = `${io.path().replace(/\/$/, '')}/`;
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://hub').pathname;
      if (path.startsWith(ioPath)) return;
      // engine.io no longer closes upgrades it does not serve (destroyUpgrade: false); this does.
      if (path !== PLAIN_WS_PATH) return void socket.destroy();
      socket.on('error', () => socket.destroy());
      void this.upgrade(io, req, socket, head);
    });
    this.pinger = setInterval(() => this.keepalive(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  private async upgrade(io: Server, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.drain.draining) return refuseUpgrade(socket, 503, 'UNAVAILABLE');
    const from = this.gate.addressOf(req.headers, req.socket.remoteAddress);
    if (!this.gate.addressAllowed(from)) return refuseUpgrade(socket, 429, 'RATE_LIMITED');
    let identity: Awaited<ReturnType<SocketAuthService['authenticate']>>;
    try {
      identity = await this.auth.authenticate(upgradeToken(req));
    } catch (err) {
      this.logger.error(`upgrade failed: ${err instanceof Error ? err.message : String(err)}`);
      return refuseUpgrade(socket, 503, 'UNAVAILABLE');
    }
    if (!identity) {
      this.gate.failed(from);
      return refuseUpgrade(socket, 401, 'UNAUTHORIZED');
    }
    const release = this.gate.admit(io as EchoServer, identity.actor);
    if (!release) return refuseUpgrade(socket, 429, 'TOO_MANY_SOCKETS');
    // The place is held until the socket entered its rooms, or the upgrade went nowhere.
    socket.once('close', release);
    this.wss!.handleUpgrade(req, socket, head, (ws) => {
      const address = req.socket.remoteAddress ?? '';
      const plain = new PlainSocket(randomUUID(), { ...identity }, ws, io.of('/'), address, (event, args) =>
        this.write(ws, toEnvelope(event, args[0])),
      );
      this.alive.add(ws);
      ws.on('pong', () => this.alive.add(ws));
      ws.on('error', (err) => this.logger.debug(`plain socket ${plain.id}: ${err.message}`));
      ws.on('message', (data: RawData, isBinary: boolean) => this.frame(plain, ws, data, isBinary));
      plain.enter();
      release();
    });
  }

  private frame(plain: PlainSocket, ws: WebSocket, data: RawData, isBinary: boolean): void {
    const raw = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = raw.toString('utf8');
    // ws's maxPayload already cut anything over twice the cap, so parsing a refused frame stays cheap and
    // its ERROR can name its type and local_id.
    const parsed = isBinary
      ? ({
          type: null,
          error: { code: 'VALIDATION_FAILED', message: 'frame: must be text (JSON)' },
        } satisfies FrameRefusal)
      : parseFrame(text);
    if (raw.length > this.config.limits.payloadBytes) {
      const tooLarge = {
        code: 'PAYLOAD_TOO_LARGE',
        message: `Payload is larger than ${this.config.limits.payloadBytes} bytes`,
      } as const;
      return this.refuse(ws, { ...parsed, type: parsed.type, error: tooLarge });
    }
    if (!('event' in parsed)) return this.refuse(ws, parsed);
    this.inOrder(ws, parsed, (done) =>
      plain.receive(text, [
        parsed.event,
        parsed.body,
        (res: Ack) => {
          this.answer(ws, parsed, res);
          done();
        },
      ]),
    );
  }

  /**
   * One frame at a time per socket, the next once the previous one is answered. The envelope has no acks
   * to wait for, so a client sends a stream's last pieces (CHAT, then CHAT_STREAM_END) back to back; run
   * side by side, the END would overtake the CHAT still being stored. At most a burst's worth waits:
   * beyond that a frame is refused RATE_LIMITED at once instead of queueing in memory.
   */
  private inOrder(ws: WebSocket, frame: InboundFrame, run: Job): void {
    let queue = this.queues.get(ws);
    if (!queue) this.queues.set(ws, (queue = { jobs: [], busy: false }));
    if (queue.jobs.length >= this.config.limits.rateBurst) {
      return this.refuse(ws, {
        type: frame.type,
        localId: frame.localId,
        commandId: frame.commandId,
        error: { code: 'RATE_LIMITED', message: `More than ${this.config.limits.rateBurst} frames waiting` },
      });
    }
    queue.jobs.push(run);
    this.runQueue(queue);
  }

  private runQueue(queue: FrameQueue): void {
    // A loop, not recursion: frames refused synchronously (rate bucket) answer inside their job.
    while (!queue.busy && queue.jobs.length) {
      const job = queue.jobs.shift()!;
      queue.busy = true;
      let inside = true;
      let finished = false;
      job(() => {
        if (finished) return;
        finished = true;
        queue.busy = false;
        if (!inside) this.runQueue(queue);
      });
      inside = false;
    }
  }

  /** Every event's ack: an ERROR frame when it failed, an ACK frame when the frame asked with `local_id`. */
  private answer(ws: WebSocket, frame: InboundFrame, res: Ack): void {
    if (!res.ok)
      return this.refuse(ws, {
        type: frame.type,
        error: res.error,
        localId: frame.localId,
        commandId: frame.commandId,
      });
    if (frame.localId === undefined) return;
    const id = res.message?.id ?? res.log?.id;
    this.write(ws, {
      type: 'ACK',
      local_id: frame.localId,
      ...(id !== undefined && { id }),
      ...(frame.commandId !== undefined && { command_id: frame.commandId }),
      payload: { for: frame.type },
    });
  }

  private refuse(ws: WebSocket, refusal: FrameRefusal): void {
    const frame: Envelope = { type: 'ERROR', payload: { ...envelopeError(refusal.error), frame: refusal.type } };
    if (refusal.localId !== undefined) frame.local_id = refusal.localId;
    if (refusal.commandId !== undefined) frame.command_id = refusal.commandId;
    this.write(ws, frame);
  }

  private write(ws: WebSocket, frame: Envelope): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  /** Every PING_INTERVAL_MS: cuts the sockets that did not answer the last ping, pings the rest. */
  keepalive(): void {
    for (const ws of this.wss?.clients ?? []) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    // The drain closes plain sockets with the others (1012) once in-flight frames are answered; it is
    // idempotent, and may not have run yet when Nest destroys this module first.
    await this.drainer.drain();
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
  }
}
