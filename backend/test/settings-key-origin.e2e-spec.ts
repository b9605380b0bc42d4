import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { SettingFieldDto, SettingsDto } from '@echocenter/contracts';
import { SettingsCrypto } from '../src/settings/settings-crypto';
import { SettingsService } from '../src/settings/settings.service';
import { startTestApp, type TestApp } from './support/test-app';

const SECRET = 'sk-origin-bound-Qz81Lm';
const SECRET_B = 'sk-second-origin-Wv42Kp';
const ENV_SECRET = 'sk-env-origin-Rt63Hn';

/** An OpenAI-compatible model list on its own port (= its own origin) that records every Authorization header. */
interface Endpoint {
  url: string;
  origin: string;
  seen: string[];
  close: () => Promise<void>;
}

async function startEndpoint(): Promise<Endpoint> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(String(req.headers.authorization ?? ''));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model', created: 0, owned_by: 'test' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    origin,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const field = (body: SettingsDto, key: string) => body.fields.find((f) => f.key === key) as SettingFieldDto;

describe('the model key goes only to the origin it was saved for (issue 19, hole 6)', () => {
  let home: Endpoint;
  let other: Endpoint;
  let t: TestApp;
  const auth = () => `Bearer ${t.adminToken}`;
  const patch = (body: object) => t.http().patch('/api/settings').set('authorization', auth()).send(body);
  const probe = (body: object) => t.http().post('/api/settings/test-model').set('authorization', auth()).send(body);
  const sawKey = (e: Endpoint, key: string) => e.seen.some((h) => h.includes(key));
  // A test lists the models, then probes what the model supports: several requests, each with the same key.
  const keysSeen = (e: Endpoint) => [...new Set(e.seen)];

  beforeAll(async () => {
    [home, other] = await Promise.all([startEndpoint(), startEndpoint()]);
    t = await startTestApp();
    expect((await patch({ butler: { baseUrl: home.url, model: 'm', apiKey: SECRET } })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([home?.close(), other?.close()]);
  });
  beforeEach(() => {
    home.seen.length = 0;
    other.seen.length = 0;
  });

  it('a model test against another origin does not send the stored key', async () => {
    const res = await probe({ baseUrl: other.url });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, models: ['m'], modelFound: true });
    expect(keysSeen(other)).toEqual(['Bearer none']);
    expect(sawKey(other, SECRET)).toBe(false);

    // Its own origin (any path on it) still gets it; a key given in the request goes where it is told.
    expect((await probe({})).body.ok).toBe(true);
    expect((await probe({ baseUrl: `${home.origin}/elsewhere/v1` })).body.ok).toBe(true);
    expect(keysSeen(home)).toEqual([`Bearer ${SECRET}`]);
    other.seen.length = 0;
    expect((await probe({ baseUrl: other.url, apiKey: 'sk-typed-for-other' })).body.ok).toBe(true);
    expect(keysSeen(other)).toEqual(['Bearer sk-typed-for-other']);
  });

  it('moving the endpoint to another origin needs the key again in the same request', async () => {
    const refused = await patch({ butler: { baseUrl: other.url } });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      {
        field: 'butler.apiKey',
        message: `must be entered again: the stored key belongs to ${home.origin} and is never sent to ${other.origin}`,
      },
    ]);
    const service = t.app.get(SettingsService);
    expect(service.butler()).toMatchObject({ baseUrl: home.url, apiKey: SECRET });

    // Same origin, another path: no key needed.
    expect((await patch({ butler: { baseUrl: `${home.origin}/v2` } })).status).toBe(200);
    expect(service.butler().apiKey).toBe(SECRET);

    expect((await patch({ butler: { baseUrl: other.url, apiKey: SECRET_B } })).status).toBe(200);
    expect(service.butler()).toMatchObject({ baseUrl: other.url, apiKey: SECRET_B });
    await probe({ baseUrl: home.url });
    await probe({});
    expect(sawKey(home, SECRET_B)).toBe(false);
    expect(keysSeen(other)).toEqual([`Bearer ${SECRET_B}`]);
  });

  it('the same key entered again for another origin is rebound, and the binding cannot be edited at rest', async () => {
    const service = t.app.get(SettingsService);
    expect((await patch({ butler: { baseUrl: home.url, apiKey: SECRET_B } })).status).toBe(200);
    expect(service.butler()).toMatchObject({ baseUrl: home.url, apiKey: SECRET_B });

    const ds = t.app.get(DataSource);
    const [row] = (await ds.query('SELECT value FROM settings WHERE name = ?', ['butler.apiKey'])) as {
      value: string;
    }[];
    const sealed = JSON.parse(row.value) as { origin: string };
    expect(sealed.origin).toBe(home.origin);
    // Someone with database access moves the binding to their own server: the key no longer opens.
    await ds.query('UPDATE settings SET value = ? WHERE name = ?', [
      JSON.stringify({ ...sealed, origin: other.origin }),
      'butler.apiKey',
    ]);
    await service.reload();
    expect(service.butler().apiKey).toBeNull();
    await ds.query('UPDATE settings SET value = ? WHERE name = ?', [row.value, 'butler.apiKey']);
    await service.reload();
    expect(service.butler().apiKey).toBe(SECRET_B);
  });

  it('a key bound elsewhere is not in effect and says why', async () => {
    const service = t.app.get(SettingsService);
    // What an admin could do before: seal the key for one origin, then point the endpoint at another.
    const ds = t.app.get(DataSource);
    const crypto = service.crypto as SettingsCrypto;
    await ds.query('UPDATE settings SET value = ? WHERE name = ?', [
      JSON.stringify(crypto.seal('butler.apiKey', SECRET, other.origin)),
      'butler.apiKey',
    ]);
    await service.reload();
    expect(service.butler()).toMatchObject({ baseUrl: home.url, apiKey: null });
    const body = (await t.http().get('/api/settings').set('authorization', auth())).body as SettingsDto;
    expect(field(body, 'butler.apiKey')).toMatchObject({
      set: false,
      problem: `was saved for ${other.origin} and is never sent to ${home.origin}; enter it again for this endpoint`,
    });
    await probe({});
    expect(sawKey(home, SECRET)).toBe(false);

    // A key sealed before origins were recorded stays with the endpoint it has been used with.
    await ds.query('UPDATE settings SET value = ? WHERE name = ?', [
      JSON.stringify(crypto.seal('butler.apiKey', SECRET)),
      'butler.apiKey',
    ]);
    await service.reload();
    expect(service.butler()).toMatchObject({ baseUrl: home.url, apiKey: SECRET });
    expect((await patch({ butler: { baseUrl: other.url } })).status).toBe(400);
  });

  it('a key from BUTLER_API_KEY belongs to the origin of BUTLER_BASE_URL', async () => {
    const e = await startTestApp({ BUTLER_BASE_URL: home.url, BUTLER_MODEL: 'm', BUTLER_API_KEY: ENV_SECRET });
    try {
      const res = await e
        .http()
        .post('/api/settings/test-model')
        .set('authorization', `Bearer ${e.adminToken}`)
        .send({ baseUrl: other.url });
      expect(res.body.ok).toBe(true);
      expect(sawKey(other, ENV_SECRET)).toBe(false);
      await e.http().post('/api/settings/test-model').set('authorization', `Bearer ${e.adminToken}`).send({});
      expect(keysSeen(home)).toEqual([`Bearer ${ENV_SECRET}`]);
    } finally {
      await e.close();
    }
  });
});
