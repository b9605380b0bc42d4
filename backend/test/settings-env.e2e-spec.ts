import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SettingFieldDto, SettingsDto } from '@echocenter/contracts';
import { SettingsService } from '../src/settings/settings.service';
import { startTestApp, type TestApp } from './support/test-app';

const ENV_SECRET = 'env-secret-Hq81LmZt0Pv6';
const DB_SECRET = 'db-secret-Xw52KcRe9Ny3';
const ECHOED_SECRET = 'sk-echoed-Ab12Cd34Ef56';
const JWT_SECRET = 'j'.repeat(40);

/** Every line the apps log (at trace level, through pino-http's stream: process.stdout), to prove no secret is written. */
const logged: string[] = [];
const streams = [process.stdout, process.stderr];
const originals = streams.map((s) => s.write);

const field = (body: SettingsDto, key: string) => body.fields.find((f) => f.key === key) as SettingFieldDto;

/** A minimal OpenAI-compatible endpoint: the model list, or a 401 that echoes the key as some real ones do. */
async function startEndpoint(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/models' && key !== ECHOED_SECRET) {
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: 'fake-butler', object: 'model', created: 0, owned_by: 'test' }],
        }),
      );
    } else {
      res.statusCode = 401;
      res.end(
        JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error' } }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('runtime settings: environment, production, model test, logs', () => {
  let fake: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    streams.forEach((stream, i) => {
      const original = originals[i];
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
        // pino's JSON lines are kept (and out of the test output); anything else passes through.
        if (!text.startsWith('{"level"'))
          return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
        logged.push(text);
        return true;
      }) as typeof stream.write;
    });
    fake = await startEndpoint();
  });
  afterAll(async () => {
    streams.forEach((stream, i) => (stream.write = originals[i]));
    await fake.close();
  });

  describe('environment variables win', () => {
    let t: TestApp;
    const auth = () => `Bearer ${t.adminToken}`;
    beforeAll(async () => {
      t = await startTestApp({
        LOG_LEVEL: 'trace',
        BUTLER_BASE_URL: fake.url,
        BUTLER_MODEL: 'fake-butler',
        BUTLER_API_KEY: ENV_SECRET,
        APPROVAL_TTL: '5m',
        LOG_RETENTION_DAYS: '14',
      });
    });
    afterAll(() => t.close());

    it('reports env fields as read-only with their value (secrets: set)', async () => {
      const body = (await t.http().get('/api/settings').set('authorization', auth())).body as SettingsDto;
      expect(field(body, 'butler.baseUrl')).toMatchObject({ value: fake.url, source: 'env', readOnly: true });
      expect(field(body, 'butler.model')).toMatchObject({ value: 'fake-butler', source: 'env', readOnly: true });
      expect(field(body, 'butler.apiKey')).toMatchObject({ set: true, source: 'env', readOnly: true });
      expect(field(body, 'approvals.ttlMs')).toMatchObject({ value: 300000, source: 'env' });
      expect(field(body, 'logs.retentionDays')).toMatchObject({ value: 14, source: 'env' });
      expect(field(body, 'approvals.policy')).toMatchObject({ value: 'default', source: 'default', readOnly: false });
      expect(JSON.stringify(body)).not.toContain(ENV_SECRET);
      expect(t.app.get(SettingsService).butler()).toMatchObject({ baseUrl: fake.url, apiKey: ENV_SECRET });
    });

    it('refuses to patch an env-controlled field, naming the variable', async () => {
      const res = await t
        .http()
        .patch('/api/settings')
        .set('authorization', auth())
        .send({ butler: { model: 'other' }, approvals: { ttlMs: 60000, policy: 'always' } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(res.body.details).toEqual([
        {
          field: 'butler.model',
          message: 'is set by the environment variable BUTLER_MODEL; unset it and restart to manage it here',
        },
        {
          field: 'approvals.ttlMs',
          message: 'is set by the environment variable APPROVAL_TTL; unset it and restart to manage it here',
        },
      ]);
      // Nothing of the refused request was applied; the free field can still be changed on its own.
      expect(t.app.get(SettingsService).current().approvals.policy).toBe('default');
      const ok = await t
        .http()
        .patch('/api/settings')
        .set('authorization', auth())
        .send({ approvals: { policy: 'always' } });
      expect(ok.status).toBe(200);
      expect(field(ok.body, 'approvals.policy')).toMatchObject({ value: 'always', source: 'db' });
    });

    it('tests the effective model endpoint and reports its models', async () => {
      const res = await t.http().post('/api/settings/test-model').set('authorization', auth()).send({});
      expect(res.status).toBe(200);
      // This endpoint only lists models: the capability probe's failure is reported, without the key it echoes.
      expect(res.body).toEqual({
        ok: true,
        models: ['fake-butler'],
        modelFound: true,
        capabilities: null,
        capabilitiesError: 'the endpoint refused the API key (401)',
      });
      expect(JSON.stringify(res.body)).not.toContain(ENV_SECRET);
      const other = await t
        .http()
        .post('/api/settings/test-model')
        .set('authorization', auth())
        .send({ baseUrl: fake.url, model: 'gpt-none' });
      // A model the endpoint does not list is not probed further.
      expect(other.body).toEqual({ ok: true, models: ['fake-butler'], modelFound: false, capabilities: null });
    });

    it('reports an unreachable endpoint or a refused key as ok:false, without the key', async () => {
      const down = await t
        .http()
        .post('/api/settings/test-model')
        .set('authorization', auth())
        .send({ baseUrl: 'http://127.0.0.1:9/v1' });
      expect(down.status).toBe(200);
      expect(down.body.ok).toBe(false);
      expect(down.body.error).toMatch(/cannot connect/);
      const refused = await t
        .http()
        .post('/api/settings/test-model')
        .set('authorization', auth())
        .send({ baseUrl: fake.url, apiKey: ECHOED_SECRET });
      expect(refused.body).toEqual({ ok: false, error: 'the endpoint refused the API key (401)' });
      const bad = await t
        .http()
        .post('/api/settings/test-model')
        .set('authorization', auth())
        .send({ baseUrl: 'file:///etc/passwd' });
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ field: 'baseUrl', message: 'must be an http:// or https:// URL' }]);
      expect(
        (await t.http().post('/api/settings/test-model').set('authorization', auth()).send({ baseUrl: 5 })).status,
      ).toBe(400);
    });
  });

  describe('production', () => {
    it('without SETTINGS_KEY refuses to store secrets, and keeps the rest working', async () => {
      const t = await startTestApp({ NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'trace' });
      try {
        const auth = `Bearer ${t.adminToken}`;
        const body = (await t.http().get('/api/settings').set('authorization', auth)).body as SettingsDto;
        expect(body.secretsWritable).toBe(false);
        const res = await t
          .http()
          .patch('/api/settings')
          .set('authorization', auth)
          .send({ butler: { apiKey: DB_SECRET, model: 'm' } });
        expect(res.status).toBe(409);
        expect(res.body.details).toEqual([
          {
            field: 'butler.apiKey',
            message: 'cannot be stored: set SETTINGS_KEY (the same on every node) to store secrets in production',
          },
        ]);
        expect(JSON.stringify(res.body)).not.toContain(DB_SECRET);
        const ok = await t
          .http()
          .patch('/api/settings')
          .set('authorization', auth)
          .send({ butler: { model: 'm', apiKey: null } });
        expect(ok.status).toBe(200);
        expect(existsSync(join(t.config.dataDir, 'settings-key'))).toBe(false);
      } finally {
        await t.close();
      }
    });

    it('with SETTINGS_KEY stores secrets without a key file', async () => {
      const t = await startTestApp({
        NODE_ENV: 'production',
        JWT_SECRET,
        SETTINGS_KEY: 'a-long-shared-settings-key-1234567890',
        LOG_LEVEL: 'trace',
      });
      try {
        const res = await t
          .http()
          .patch('/api/settings')
          .set('authorization', `Bearer ${t.adminToken}`)
          .send({ butler: { apiKey: DB_SECRET } });
        expect(res.status).toBe(200);
        expect(field(res.body, 'butler.apiKey')).toMatchObject({ set: true, source: 'db' });
        expect(JSON.stringify(res.body)).not.toContain(DB_SECRET);
        expect(t.app.get(SettingsService).butler().apiKey).toBe(DB_SECRET);
        expect(existsSync(join(t.config.dataDir, 'settings-key'))).toBe(false);
        const history = await t.http().get('/api/settings/audit').set('authorization', `Bearer ${t.adminToken}`);
        expect(JSON.stringify(history.body)).not.toContain(DB_SECRET);
      } finally {
        await t.close();
      }
    });
  });

  it('never wrote a secret to the logs', () => {
    const all = logged.join('');
    // The capture works: requests and the settings change were logged at trace level.
    expect(all).toContain('/api/settings/test-model');
    expect(all).toContain('admin changed butler.apiKey');
    for (const secret of [ENV_SECRET, DB_SECRET, ECHOED_SECRET]) expect(all).not.toContain(secret);
  });
});
