import { Logger } from '@nestjs/common';

type Publisher = { publish: (...args: never[]) => Promise<unknown> };

/**
 * @socket.io/redis-adapter 8 calls `pubClient.publish(...)` without handling the promise. While Redis is
 * down node-redis rejects those promises (socket closed, connection refused), and an unhandled rejection
 * ends the Node process: one Redis blip would kill every node. This makes a failed publish a logged,
 * counted event instead; deliveries to this node's own sockets never depended on it.
 */
export function guardPublishes(client: Publisher, logger = new Logger('SocketAdapter')): void {
  const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let failed = 0;
  let lastLog = 0;
  (client as { publish: unknown }).publish = (...args: unknown[]) =>
    publish(...args).catch((err: unknown) => {
      failed++;
      const now = Date.now();
      if (now - lastLog >= 5000) {
        lastLog = now;
        logger.warn(`redis publish failed (${failed} so far): ${err instanceof Error ? err.message : String(err)}`);
      }
      return 0;
    });
}
