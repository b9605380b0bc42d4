import { createHmac } from 'node:crypto';
import { ADMIN, createUser, startTestApp, type TestApp } from './support/test-app';

function b64url(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

/** A token signed with the app's real secret, so only the claim under test differs. */
function signJwt(secret: string, payload: object): string {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url(payload);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(() => t.close());

  it('tells an admin who signed in with the default password (admin123) to change it; nobody else', async () => {
    await createUser(t, 'default-admin', 'ADMIN', 'admin123');
    await createUser(t, 'default-member', 'MEMBER', 'admin123');
    const login = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });
    expect((await login('default-admin', 'admin123')).body.defaultPassword).toBe(true);
    expect((await login('default-member', 'admin123')).body).not.toHaveProperty('defaultPassword');
    expect((await login(ADMIN.username, ADMIN.password)).body).not.toHaveProperty('defaultPassword');
  });

  it('logs in with the right password and returns the user', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'ADMIN', password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'ADMIN', disabled: false });
    expect(res.body.expiresIn).toBe(86400);
    expect(res.body.user.passwordHash).toBeUndefined();
    const me = await t.http().get('/api/auth/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('admin');
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await t.http().post('/api/auth/login').send({ username: 'admin', password: 'nope-nope' });
    const unknown = await t.http().post('/api/auth/login').send({ username: 'ghost-user', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Invalid username or password',
    });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('validates the login body', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 5, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'extra']));
  });

  it('rate-limits login attempts per username', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'victim', password: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('rejects missing, tampered and expired tokens with 401', async () => {
    const none = await t.http().get('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHORIZED');

    const [h, p, s] = t.adminToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${b64url({ ...claims, sub: claims.sub + 1 })}.${s}`;
    const bad = await t.http().get('/api/auth/me').set('authorization', `Bearer ${tampered}`);
    expect(bad.status).toBe(401);

    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt(t.config.jwt.secret, { sub: claims.sub, name: 'admin', iat: now - 100, exp: now - 10 });
    const old = await t.http().get('/api/auth/me').set('authorization', `Bearer ${expired}`);
    expect(old.status).toBe(401);
    expect(old.body.message).toBe('Token expired');

    const valid = signJwt(t.config.jwt.secret, { sub: claims.sub, name: 'admin', iat: now, exp: now + 60 });
    expect((await t.http().get('/api/auth/me').set('authorization', `Bearer ${valid}`)).status).toBe(200);
  });

  it('stops accepting the token of a disabled user', async () => {
    const { user, token } = await createUser(t, 'soon-disabled');
    expect((await t.http().get('/api/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(200);
    await t
      .http()
      .patch(`/api/users/${user.id}`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .send({ disabled: true })
      .expect(200);
    expect((await t.http().get('/api/auth/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });
});

describe('auth rate limit per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_IP_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 once one address has used its budget, whatever the username', async () => {
    // startTestApp already logged the admin in once from this address.
    const a = await t.http().post('/api/auth/login').send({ username: 'u1', password: 'x' });
    const b = await t.http().post('/api/auth/login').send({ username: 'u2', password: 'x' });
    const c = await t.http().post('/api/auth/login').send({ username: 'u3', password: 'x' });
    expect([a.status, b.status, c.status]).toEqual([401, 401, 429]);
    expect(c.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  });
});
