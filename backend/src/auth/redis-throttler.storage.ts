import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { createRedisClient, type RedisClient } from '../lifecycle/redis-client';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One round trip per attempt. A blocked key answers blocked until the block ends; otherwise the hit is
 * counted in a fixed window that starts with its first hit, and going over the limit starts the block
 * and a fresh window after it. Replies: hits, window ms left, blocked (0/1), block ms left.
 */
const SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or ARGV[2]) + 1, blockLeft, 1, blockLeft}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {hits, left, 1, tonumber(ARGV[3])}
end
return {hits, left, 0, 0}
`;

/**
 * Login attempt counters shared by every node through Redis (used when REDIS_URL is set): behind a
 * balancer, nodes with counters of their own would allow the limit once per node. While Redis cannot be
 * reached each node counts alone (the throttler's in-memory storage), so logins keep working and stay
 * limited; a warning says so.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('LoginThrottle');
  private readonly local = new ThrottlerStorageService();
  private lastWarning = 0;

  private constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Connected before the app starts: a wrong REDIS_URL fails the start, as the socket adapter's does. */
  static async connect(url: string, prefix: string): Promise<RedisThrottlerStorage> {
    // Without the offline queue a command fails at once while Redis is away, and the local count takes over.
    const client = createRedisClient(url, { disableOfflineQueue: true });
    const storage = new RedisThrottlerStorage(client, prefix);
    client.on('error', (err: Error) => storage.warn(err));
    await client.connect();
    return storage;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    try {
      const reply = (await this.client.eval(SCRIPT, {
        keys: [`${base}:hits`, `${base}:block`],
        arguments: [String(ttl), String(limit), String(blockDuration)],
      })) as number[];
      const [hits, left, blocked, blockLeft] = reply.map(Number);
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(left / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockLeft / 1000),
      };
    } catch (err) {
      this.warn(err);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.client.quit().catch(() => undefined);
  }

  private warn(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 5000) return;
    this.lastWarning = now;
    this.logger.warn(
      `redis unavailable, login limits count per node meanwhile: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
