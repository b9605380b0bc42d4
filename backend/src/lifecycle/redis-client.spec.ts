import { createServer } from 'node:net';
import { createRedisClient } from './redis-client';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  process.stdout.write(
    'redis client reconnect check skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
  );

describe('createRedisClient', () => {
  it('fails connect() on the first refused connection instead of retrying forever', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((r) => closed.close(() => r()));
    const client = createRedisClient(`redis://127.0.0.1:${port}`);
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  (REDIS_URL ? it : it.skip)('reconnects by itself once it has been connected', async () => {
    const client = createRedisClient(REDIS_URL!);
    const killer = createRedisClient(REDIS_URL!);
    client.on('error', () => undefined);
    await Promise.all([client.connect(), killer.connect()]);
    try {
      await killer.sendCommand(['CLIENT', 'KILL', 'ID', String(await client.clientId())]);
      let pong = '';
      for (let i = 0; i < 50 && pong !== 'PONG'; i++)
        pong = await client.ping().catch(() => new Promise<string>((r) => setTimeout(() => r(''), 50)));
      expect(pong).toBe('PONG');
    } finally {
      await Promise.all([client.quit(), killer.quit()]);
    }
  });
});
