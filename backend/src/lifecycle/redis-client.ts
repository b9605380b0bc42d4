import type * as RedisModule from 'redis';

export type RedisClient = ReturnType<typeof RedisModule.createClient>;

/**
 * A node-redis client for REDIS_URL. node-redis retries a refused first connection forever, so a wrong
 * URL would hang the start with an error line every few milliseconds; here the first connection's error
 * rejects `connect()` and fails the start. Once connected, a dropped client reconnects with node-redis's
 * own back-off (50 ms doubling to 1 s: a returning Redis is found within a second, which the catch-up after an outage counts on).
 * Loaded only when used: the redis package is ~550 modules and a few MB that a single node never needs.
 */
export function createRedisClient(url: string, options: { disableOfflineQueue?: boolean } = {}): RedisClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only where Redis is configured
  const { createClient } = require('redis') as typeof RedisModule;
  let connected = false;
  const client = createClient({
    url,
    ...options,
    // A fresh Error of this module's realm: node-redis tests `instanceof Error`, which a socket error from
    // another realm (Jest's sandbox) fails, and then it would fall back to retrying forever.
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(2 ** retries * 50, 1000) : new Error(`Redis unreachable: ${cause.message}`, { cause }),
    },
  });
  client.on('ready', () => (connected = true));
  return client;
}
