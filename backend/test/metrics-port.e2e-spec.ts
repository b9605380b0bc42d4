import { createServer } from 'node:net';
import { parseProm } from './support/prom-text';
import { startTestApp, type TestApp } from './support/test-app';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metrics on their own loopback port (METRICS_PORT)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ METRICS_PORT: String(port) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves /metrics there without a token, and not on the public port', async () => {
    expect((await t.http().get('/metrics')).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const scrape = parseProm(await res.text());
    expect(scrape.has('echocenter_http_requests_total')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('counts failed queries by kind', async () => {
    const before = parseProm(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    // A raw query that cannot succeed, through TypeORM like every feature's queries.
    const { DataSource } = await import('typeorm');
    await expect(t.app.get(DataSource).query('SELECT * FROM no_such_table')).rejects.toThrow();
    const after = parseProm(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    expect(
      after.value('echocenter_db_errors_total', { kind: 'other' }) -
        before.value('echocenter_db_errors_total', { kind: 'other' }),
    ).toBe(1);
  });
});
