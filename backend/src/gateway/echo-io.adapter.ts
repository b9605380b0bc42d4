import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import { guardPublishes } from '../lifecycle/redis-guard';

type Redis = ReturnType<typeof createClient>;

/**
 * Socket.IO server options from our config, and the Redis adapter (pub/sub) when REDIS_URL is set so
 * room broadcasts, disconnectSockets, fetchSockets and serverSideEmit reach every node. Without it the
 * in-memory adapter serves one node. See docs/protocol.md for why pub/sub rather than streams.
 */
export class EchoIoAdapter extends IoAdapter {
  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private readonly logger = new Logger('SocketAdapter');

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
    } as ServerOptions) as { adapter(factory: unknown): void };
    if (this.pub && this.sub) server.adapter(createAdapter(this.pub, this.sub, { key: this.config.redisPrefix }));
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all([this.pub, this.sub].map((c) => c?.quit().catch(() => undefined)));
    this.pub = this.sub = null;
  }
}
