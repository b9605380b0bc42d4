import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SettingsDto } from '@echocenter/contracts';
import { dbTime } from '../src/common/db-time';
import { DomainEventBus } from '../src/events/domain-event-bus';
import { RealtimeService } from '../src/gateway/realtime.service';
import { LogRetentionService } from '../src/settings/log-retention.service';
import { SettingsService, type SettingsChange } from '../src/settings/settings.service';
import { startTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;
// Our own channels on a shared Redis: other suites' nodes (same actor and thread ids) must not hear ours.
const uniquePrefix = () => `ec-settings-${randomBytes(4).toString('hex')}`;
const SECRET = 'sk-node-secret-Rt5Ya8Ue2Io';
const DAY = 86_400_000;

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const patch = (t: TestApp, body: object) =>
  t.http().patch('/api/settings').set('authorization', `Bearer ${t.adminToken}`).send(body);

describe('runtime settings on several nodes', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // Two apps on one database and data folder (so one settings key): two nodes of one installation.
    a = await startTestApp(REDIS_URL ? { REDIS_URL, REDIS_PREFIX: uniquePrefix() } : {});
    b = await a.restart();
  });
  afterAll(async () => {
    await b?.close({ dropDatabase: false });
    await a?.close();
  });

  it('re-reads the database when another node announces a change', async () => {
    expect((await patch(a, { agentCommandTimeoutMs: 1234 })).status).toBe(200);
    expect(a.app.get(SettingsService).agentCommandTimeoutMs()).toBe(1234);
    const seen: SettingsChange[] = [];
    const sub = b.app.get(DomainEventBus).on('settings.changed', 'test', (c) => seen.push(c));
    // What the Socket.IO adapter delivers on node b for a change made on another node.
    b.app
      .get(RealtimeService)
      .serverSideEmit('settings:changed', { origin: 'another-node', keys: ['agentCommandTimeoutMs'] });
    await eventually(() => b.app.get(SettingsService).agentCommandTimeoutMs() === 1234, 'node b to re-read');
    sub.unsubscribe();
    expect(seen.map((c) => c.keys)).toContainEqual(['agentCommandTimeoutMs']);
  });

  (REDIS_URL ? it : it.skip)(
    'applies a change on every node through the Redis adapter, without a restart',
    async () => {
      const res = await patch(a, {
        butler: { baseUrl: 'http://127.0.0.1:9/v1', model: 'node-model', apiKey: SECRET },
        approvals: { requesterMayApprove: true },
      });
      expect(res.status).toBe(200);
      const onB = b.app.get(SettingsService);
      await eventually(() => onB.butler().model === 'node-model', 'node b to apply the change');
      expect(onB.butler()).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: SECRET });
      expect(onB.approvals().requesterMayApprove).toBe(true);
      const view = (await b.http().get('/api/settings').set('authorization', `Bearer ${b.adminToken}`))
        .body as SettingsDto;
      expect(view.fields.find((f) => f.key === 'butler.model')).toMatchObject({
        value: 'node-model',
        source: 'db',
        updatedBy: 'admin',
      });

      // And back the other way.
      expect((await patch(b, { butler: { baseUrl: null, model: null, apiKey: null } })).status).toBe(200);
      await eventually(() => a.app.get(SettingsService).butler().baseUrl === null, 'node a to apply the change');
      expect(a.app.get(SettingsService).butler().apiKey).toBeNull();
    },
  );

  if (!REDIS_URL)
    process.stdout.write(
      'settings-nodes: live apply through the Redis adapter skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
    );
});

describe('log retention', () => {
  let t: TestApp;
  let ds: DataSource;
  const OLD = 2100; // more than two delete batches
  /** Backdated rows straight into the table (the API always stamps "now"). */
  const insert = async (n: number, ageDays: number, label: string) => {
    const at = dbTime(ds, new Date(Date.now() - ageDays * DAY));
    for (let done = 0; done < n; done += 500) {
      const rows = Array.from({ length: Math.min(500, n - done) }, (_, i) => [
        null,
        'old-agent',
        'INFO',
        `${label} ${done + i}`,
        at,
      ]);
      await ds.query(
        `INSERT INTO system_logs (agent_id, agent_name, level, content, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      );
    }
  };
  const count = async (where = '1=1', params: unknown[] = []) =>
    Number(
      ((await ds.query(`SELECT COUNT(*) AS n FROM system_logs WHERE ${where}`, params)) as { n: number | string }[])[0]
        .n,
    );

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    for (let i = 0; i < 5; i++) {
      const res = await t
        .http()
        .post('/api/logs')
        .set('authorization', `Bearer ${t.adminToken}`)
        .send({ level: 'INFO', content: `fresh ${i}` });
      expect(res.status).toBe(201);
    }
    await insert(OLD, 40, 'old');
    await insert(3, 29, 'recent');
  });
  afterAll(() => t.close());

  it('keeps everything while retention is 0', async () => {
    expect(await t.app.get(LogRetentionService).purge()).toBe(0);
    expect(await count()).toBe(5 + OLD + 3);
  });

  it('deletes only rows older than the retention, in batches, as soon as the setting changes', async () => {
    const res = await patch(t, { logs: { retentionDays: 30 } });
    expect(res.status).toBe(200);
    await eventually(async () => (await count("content LIKE 'old %'")) === 0, 'the purge', 15000);
    expect(await count()).toBe(5 + 3);
    expect(await count("content LIKE 'recent %'")).toBe(3);
    expect(await t.app.get(LogRetentionService).purge()).toBe(0);
    // The API still serves the remaining logs.
    const page = await t.http().get('/api/logs').query({ limit: 50 }).set('authorization', `Bearer ${t.adminToken}`);
    expect(page.body.items).toHaveLength(8);
  });

  it('purges once at start', async () => {
    await insert(2, 31, 'stale');
    await t.close({ dropDatabase: false });
    t = await t.restart();
    ds = t.app.get(DataSource);
    await eventually(async () => (await count("content LIKE 'stale %'")) === 0, 'the start-up purge');
    expect(await count()).toBe(5 + 3);
  });
});
