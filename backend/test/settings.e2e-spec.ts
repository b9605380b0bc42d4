import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { SettingFieldDto, SettingsAuditDto, SettingsDto } from '@echocenter/contracts';
import { DomainEventBus } from '../src/events/domain-event-bus';
import { SettingsService } from '../src/settings/settings.service';
import { createUser, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'sk-test-7Qk2Zp9Lw4Nv8Rx1';

describe('runtime settings', () => {
  let t: TestApp;
  const get = () => t.http().get('/api/settings').set('authorization', `Bearer ${t.adminToken}`);
  const patch = (body: unknown) =>
    t
      .http()
      .patch('/api/settings')
      .set('authorization', `Bearer ${t.adminToken}`)
      .send(body as object);
  const audit = (query: Record<string, number> = {}) =>
    t.http().get('/api/settings/audit').query(query).set('authorization', `Bearer ${t.adminToken}`);
  const field = (body: SettingsDto, key: string) => body.fields.find((f) => f.key === key) as SettingFieldDto;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('starts with the defaults, secrets only saying whether they are set', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = res.body as SettingsDto;
    expect(body.fields.map((f) => f.key)).toEqual([
      'butler.baseUrl',
      'butler.model',
      'butler.apiKey',
      'butler.compactionThreshold',
      'butler.tools',
      'butler.dailyTokenBudget',
      'butler.pricesPer1k',
      'approvals.policy',
      'approvals.ttlMs',
      'approvals.requesterMayApprove',
      'approvals.linksRequireLogin',
      'agentCommandTimeoutMs',
      'logs.retentionDays',
    ]);
    expect(body.fields.every((f) => f.source === 'default' && !f.readOnly)).toBe(true);
    expect(field(body, 'butler.baseUrl')).toMatchObject({ value: null, type: 'url', env: 'BUTLER_BASE_URL' });
    expect(field(body, 'butler.compactionThreshold')).toMatchObject({ value: 12000, min: 200, unit: 'chars' });
    expect(field(body, 'approvals.policy')).toMatchObject({ value: 'default', options: ['default', 'always'] });
    expect(field(body, 'approvals.ttlMs')).toMatchObject({ value: 900000 });
    expect(field(body, 'approvals.requesterMayApprove')).toMatchObject({ value: false });
    expect(field(body, 'agentCommandTimeoutMs')).toMatchObject({ value: 30000 });
    expect(field(body, 'logs.retentionDays')).toMatchObject({ value: 0, unit: 'days' });
    const key = field(body, 'butler.apiKey');
    expect(key).toMatchObject({ type: 'secret', set: false, default: null });
    expect('value' in key).toBe(false);
    expect(body.secretsWritable).toBe(true);
    expect(body.links).toEqual({ allowRules: '/api/approvals/rules', audit: '/api/settings/audit' });
    // Embedded mode: the encryption key is generated into the data folder, readable by the owner only.
    expect(statSync(join(t.config.dataDir, 'settings-key')).mode & 0o777).toBe(0o600);
  });

  it('is documented in Swagger', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as { paths: Record<string, object> };
    expect(Object.keys(doc.paths['/api/settings']).sort()).toEqual(['get', 'patch']);
    expect(doc.paths['/api/settings/audit']).toHaveProperty('get');
    expect(doc.paths['/api/settings/test-model']).toHaveProperty('post');
  });

  it('is for admins only', async () => {
    const member = await createUser(t, 'settings-member');
    const auth = `Bearer ${member.token}`;
    expect((await t.http().get('/api/settings').set('authorization', auth)).status).toBe(403);
    expect(
      (await t.http().patch('/api/settings').set('authorization', auth).send({ agentCommandTimeoutMs: 5000 })).status,
    ).toBe(403);
    expect((await t.http().get('/api/settings/audit').set('authorization', auth)).status).toBe(403);
    expect((await t.http().post('/api/settings/test-model').set('authorization', auth).send({})).status).toBe(403);
    expect((await t.http().get('/api/settings')).status).toBe(401);
  });

  it('rejects invalid values with one detail per field, and changes nothing', async () => {
    const res = await patch({
      butler: { baseUrl: 'ftp://models.example', compactionThreshold: 5, apiKey: 42 },
      approvals: { policy: 'never', requesterMayApprove: 'yes', ttlMs: 1.5 },
      agentCommandTimeoutMs: '30000',
      logs: 3,
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const details = res.body.details as { field: string; message: string }[];
    expect(Object.fromEntries(details.map((d) => [d.field, d.message]))).toEqual({
      'butler.baseUrl': 'must be an http:// or https:// URL',
      'butler.compactionThreshold': 'must be between 200 and 10000000',
      'butler.apiKey': 'must be a string or null',
      'approvals.policy': 'must be one of default, always',
      'approvals.requesterMayApprove': 'must be true or false',
      'approvals.ttlMs': 'must be an integer',
      agentCommandTimeoutMs: 'must be an integer',
      logs: 'must be an object',
      colour: 'is not a known setting',
    });
    expect(((await get()).body as SettingsDto).fields.every((f) => f.source === 'default')).toBe(true);
  });

  it('needs a model name with an endpoint (the rule of BUTLER_BASE_URL)', async () => {
    const res = await patch({ butler: { baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'butler.model', message: 'is required when butler.baseUrl is set' }]);
    expect((await patch([1, 2])).status).toBe(400);
  });

  it('stores values, applies them at once and never returns the secret', async () => {
    const changes: string[][] = [];
    const service = t.app.get(SettingsService);
    const sub = t.app.get(DomainEventBus).on('settings.changed', 'test', (c) => changes.push(c.keys));
    const res = await patch({
      butler: { baseUrl: 'http://127.0.0.1:9/v1', model: 'llama-test', apiKey: SECRET },
      approvals: { policy: 'always', ttlMs: 60000 },
    });
    sub.unsubscribe();
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const body = res.body as SettingsDto;
    expect(field(body, 'butler.model')).toMatchObject({ value: 'llama-test', source: 'db', updatedBy: 'admin' });
    expect(field(body, 'butler.apiKey')).toMatchObject({ set: true, source: 'db' });
    expect(field(body, 'approvals.policy')).toMatchObject({ value: 'always', source: 'db' });
    expect(JSON.stringify((await get()).body)).not.toContain(SECRET);

    // In memory, for the Butler and the approvals: the same shapes as config.butler / config.approvals.
    expect(service.butler()).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'llama-test',
      apiKey: SECRET,
      timeoutMs: t.config.butler.timeoutMs,
    });
    // The warning comes at most half the (new) TTL before expiry, as loadConfig caps it.
    expect(service.approvals()).toEqual({
      ...t.config.approvals,
      policy: 'always',
      ttlMs: 60000,
      requesterMayApprove: false,
      warnBeforeMs: 30000,
    });
    expect(changes).toEqual([
      ['butler.baseUrl', 'butler.model', 'butler.apiKey', 'approvals.policy', 'approvals.ttlMs'],
    ]);
  });

  it('keeps the secret encrypted at rest (AES-256-GCM, bound to its row)', async () => {
    const ds = t.app.get(DataSource);
    const [row] = (await ds.query('SELECT value FROM settings WHERE name = ?', ['butler.apiKey'])) as {
      value: string;
    }[];
    expect(row.value).not.toContain(SECRET);
    const sealed = JSON.parse(row.value) as Record<string, unknown>;
    // `origin`: the only place the key may be sent (authenticated with it; settings-key-origin.e2e-spec.ts).
    expect(Object.keys(sealed).sort()).toEqual(['ct', 'iv', 'kid', 'origin', 'tag', 'v']);
    // Plain settings stay plain JSON (readable in a backup); tampering is covered in settings-crypto.spec.ts.
    const [model] = (await ds.query('SELECT value FROM settings WHERE name = ?', ['butler.model'])) as {
      value: string;
    }[];
    expect(JSON.parse(model.value)).toBe('llama-test');
  });

  it('audits every change with the secret masked, newest first, in pages', async () => {
    expect((await patch({ butler: { apiKey: `${SECRET}-2` } })).status).toBe(200);
    expect((await patch({ butler: { apiKey: null }, approvals: { policy: null } })).status).toBe(200);
    // Writing the value a field already has is not a change.
    expect((await patch({ butler: { model: 'llama-test' } })).status).toBe(200);

    const res = await audit();
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const items = res.body.items as SettingsAuditDto[];
    const view = items.map((a) => [a.key, a.action, a.oldValue, a.newValue]);
    expect(view).toEqual([
      ['approvals.policy', 'cleared', 'always', null],
      ['butler.apiKey', 'cleared', '••••', null],
      ['butler.apiKey', 'changed', '••••', '••••'],
      ['approvals.ttlMs', 'set', null, 60000],
      ['approvals.policy', 'set', null, 'always'],
      ['butler.apiKey', 'set', null, '••••'],
      ['butler.model', 'set', null, 'llama-test'],
      ['butler.baseUrl', 'set', null, 'http://127.0.0.1:9/v1'],
    ]);
    expect(items[1]).toMatchObject({ secret: true, actorName: 'admin' });
    expect(items[0].secret).toBe(false);
    expect(typeof items[0].actorId).toBe('number');
    expect(Date.parse(items[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const first = await audit({ limit: 3 });
    expect(first.body.items).toHaveLength(3);
    const second = await audit({ limit: 3, before: first.body.nextCursor });
    expect(second.body.items.map((a: SettingsAuditDto) => a.id)).toEqual(items.slice(3, 6).map((a) => a.id));
    const last = await audit({ limit: 3, before: second.body.nextCursor });
    expect(last.body.items).toHaveLength(2);
    expect(last.body.nextCursor).toBeNull();
    expect((await audit({ limit: 0 })).status).toBe(400);

    const after = (await get()).body as SettingsDto;
    expect(field(after, 'butler.apiKey')).toMatchObject({ set: false, source: 'default' });
    expect(field(after, 'approvals.policy')).toMatchObject({ value: 'default', source: 'default' });
    expect(t.app.get(SettingsService).butler().apiKey).toBeNull();
  });

  it('keeps the settings across a restart', async () => {
    expect((await patch({ butler: { apiKey: SECRET }, agentCommandTimeoutMs: 4500 })).status).toBe(200);
    await t.close({ dropDatabase: false });
    t = await t.restart();
    const body = (await get()).body as SettingsDto;
    expect(field(body, 'agentCommandTimeoutMs')).toMatchObject({ value: 4500, source: 'db' });
    expect(field(body, 'butler.apiKey')).toMatchObject({ set: true, source: 'db' });
    expect(t.app.get(SettingsService).butler().apiKey).toBe(SECRET);
  });
});
