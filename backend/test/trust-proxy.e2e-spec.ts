import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startTestApp, type TestApp } from './support/test-app';

const DOCKER = join(__dirname, '..', '..', 'docker');

/** TRUST_PROXY as docker/compose.yml gives it to the nodes (its default when docker/.env leaves it out). */
function composeTrustProxy(): string | undefined {
  const compose = readFileSync(join(DOCKER, 'compose.yml'), 'utf8');
  const line = /^\s+TRUST_PROXY:\s*(.+?)\s*$/m.exec(compose)?.[1];
  return line?.replace(/^"|"$/g, '').replace(/^\$\{TRUST_PROXY:-(.*)\}$/, '$1');
}

/** Behind nginx (docker/compose.yml), one client's failed logins must not lock out everyone (issue 19, hole 7b). */
describe('login limits per client behind the compose proxy', () => {
  const trustProxy = composeTrustProxy();
  let t: TestApp;
  const login = (client: string, username: string) =>
    t.http().post('/api/auth/login').set('x-forwarded-for', client).send({ username, password: 'wrong-password' });

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: trustProxy ?? 'loopback', LOGIN_IP_RATE_LIMIT: '3' });
  });
  afterAll(() => t?.close());

  it("sets TRUST_PROXY for the nodes, trusting nginx's address on the compose network and no public one", () => {
    expect(trustProxy).toBeDefined();
    const trusts = (t.app as NestExpressApplication).getHttpAdapter().getInstance().get('trust proxy fn') as (
      addr: string,
      hop: number,
    ) => boolean;
    // Docker gives compose networks private addresses (172.16/12 by default, 10/8 or 192.168/16 when configured).
    for (const nginx of ['172.18.0.5', '10.1.2.3', '192.168.16.4', '127.0.0.1']) expect(trusts(nginx, 0)).toBe(true);
    for (const outsider of ['203.0.113.7', '8.8.8.8']) expect(trusts(outsider, 0)).toBe(false);
    // nginx replaces the header with the address it sees instead of appending to the client's claim.
    expect(readFileSync(join(DOCKER, 'nginx.conf'), 'utf8')).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
  });

  it('counts each X-Forwarded-For client on its own: one is locked out, the other is not', async () => {
    expect(trustProxy).toBeDefined();
    const a = [];
    for (const user of ['u1', 'u2', 'u3', 'u4']) a.push((await login('203.0.113.7', user)).status);
    expect(a).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy still has its whole budget.
    expect((await login('198.51.100.9', 'u1')).status).toBe(401);
    expect((await login('198.51.100.9', 'u2')).status).toBe(401);
    expect(
      (
        await t
          .http()
          .post('/api/auth/login')
          .set('x-forwarded-for', '198.51.100.9')
          .send({ username: 'admin', password: 'admin-pass-123' })
      ).status,
    ).toBe(200);
    expect((await login('203.0.113.7', 'u5')).status).toBe(429);
  });
});
