import { scrape } from './support/prom-text';
import { startTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  process.stdout.write(
    'metrics: Redis adapter gauge skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
  );
const TOKEN = 'metrics-redis-token-0123456789';

(REDIS_URL ? describe : describe.skip)('metrics: the Redis adapter gauge (REDIS_URL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: REDIS_URL!, REDIS_PREFIX: `ec-metrics-${process.pid}`, METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads 1 while both adapter clients are ready', async () => {
    expect((await scrape(t, TOKEN)).value('echocenter_redis_adapter_connected')).toBe(1);
  });
});
