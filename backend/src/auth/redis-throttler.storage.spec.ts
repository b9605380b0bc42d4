import { randomBytes } from 'node:crypto';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  process.stdout.write(
    'redis login-throttle storage skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
  );
const test = REDIS_URL ? it : it.skip;

/** Two storages on one Redis stand for two nodes behind a balancer. */
describe('RedisThrottlerStorage', () => {
  const prefix = `ec-test-${randomBytes(4).toString('hex')}`;
  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;

  beforeAll(async () => {
    if (!REDIS_URL) return;
    [a, b] = await Promise.all([
      RedisThrottlerStorage.connect(REDIS_URL, prefix),
      RedisThrottlerStorage.connect(REDIS_URL, prefix),
    ]);
  });
  afterAll(async () => {
    await a?.onApplicationShutdown();
    await b?.onApplicationShutdown();
  });

  test('counts the attempts of every node against one limit, blocks past it, and starts over after the block', async () => {
    const hit = (s: RedisThrottlerStorage) => s.increment('user-key', 60_000, 3, 400, 'login-user');
    expect(await hit(a)).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
    expect(await hit(b)).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit(a)).toMatchObject({ totalHits: 3, isBlocked: false });
    expect(await hit(b)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 1 });
    expect(await hit(a)).toMatchObject({ isBlocked: true });
    // Other names and other throttlers keep their own counts.
    expect(await a.increment('other-key', 60_000, 3, 400, 'login-user')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    expect(await a.increment('user-key', 60_000, 3, 400, 'login-ip')).toMatchObject({ totalHits: 1, isBlocked: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(await hit(b)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  test('counts on its own node while Redis cannot be reached, still limited', async () => {
    const lone = await RedisThrottlerStorage.connect(REDIS_URL!, prefix);
    // Its client closed: every command fails at once, as while Redis is away.
    await lone.onApplicationShutdown();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await lone.increment('offline-key', 60_000, 2, 1000, 'login-user'));
    expect(results.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    // Nothing of it reached Redis.
    expect(await a.increment('offline-key', 60_000, 2, 1000, 'login-user')).toMatchObject({ totalHits: 1 });
  });
});
