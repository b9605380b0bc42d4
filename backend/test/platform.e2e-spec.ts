import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, E2E_DRIVER } from './support/test-db';

describe('platform: swagger, health, console, production start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('documents every route with its auth scheme and error responses', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/auth/login',
      '/api/auth/me',
      '/api/users',
      '/api/users/{id}',
      '/api/agents',
      '/api/agents/{id}',
      '/api/agents/{id}/token',
      '/api/agents/test-connection',
      '/api/logs',
      '/api/butler',
      '/api/health',
    ]) {
      expect(paths).toContain(p);
    }
    expect(Object.keys(res.body.components.securitySchemes)).toEqual(expect.arrayContaining(['jwt', 'agent-token']));
    expect(res.body.paths['/api/logs'].post.responses['400'].content['application/json'].schema.$ref).toMatch(
      /ApiErrorDoc/,
    );
    expect(res.body.components.schemas.CreateLogDto.properties.level.enum).toEqual([
      'INFO',
      'SUCCESS',
      'WARNING',
      'ERROR',
    ]);
    const ui = await t.http().get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('reports health with the database up, without auth', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('sets security headers and answers unknown API routes with the error shape', async () => {
    const res = await t.http().get('/api/nope').set('authorization', `Bearer ${t.adminToken}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it("lets the console connect only to its own origin (connect-src 'self', no ws:/wss: wildcard; issue 19, hole 7e)", async () => {
    const csp = String((await t.http().get('/api/health')).headers['content-security-policy']);
    const connect = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('connect-src'));
    // 'self' covers the same origin's ws:/wss: (CSP Level 3), which is where the console's socket goes.
    expect(connect).toBe("connect-src 'self'");
  });
});

describe('the console is served at / next to the API', () => {
  it('serves index.html from the frontend build folder and leaves /api alone', async () => {
    const t0 = await startTestApp();
    const dir = join(t0.config.dataDir, 'console');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>EchoCenter</title><app-root></app-root>');
    await t0.close({ dropDatabase: false });
    const t = await startTestApp({ FRONTEND_DIR: dir });
    try {
      const root = await t.http().get('/');
      expect(root.status).toBe(200);
      expect(root.text).toContain('<app-root>');
      expect((await t.http().get('/api/health')).body.status).toBe('ok');
    } finally {
      await t.close();
      await t0.close();
    }
  });
});

describe('migrations', () => {
  it('apply from empty, revert completely and apply again', async () => {
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'echocenter-mig-'));
    const ds = new DataSource(dataSourceOptions(loadConfig({ DATA_DIR: dataDir, ...db.env })));
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
      const qr = ds.createQueryRunner();
      const ours = ['actors', 'agent_credentials', 'chat_messages', 'system_logs'];
      const exist = async (names: string[]) => Promise.all(names.map((n) => qr.hasTable(n)));
      expect(await exist(ours)).toEqual(ours.map(() => true));
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await exist(ours)).toEqual(ours.map(() => false));
      await qr.release();
      expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it(`runs on ${E2E_DRIVER}`, () => {
    expect(['sqlite', 'mysql']).toContain(E2E_DRIVER);
  });
});

describe('production start', () => {
  it('refuses a first start without ADMIN_PASSWORD', async () => {
    await expect(
      startTestApp({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), ADMIN_PASSWORD: '' }),
    ).rejects.toThrow(/ADMIN_PASSWORD is required on the first start in production/);
  });
});
