import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CreatedAccessTokenDto } from '@echocenter/contracts';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 23's audit, gaps 9 and 11: `/mcp` lives outside Nest's guards, so it bounds itself per caller: a
 * request rate (429 with Retry-After) and a few `ask_butler` calls in flight (each holds a Butler turn).
 * And a token's name is trimmed: one of spaces is refused.
 */
describe('/mcp limits per caller, and token names', () => {
  let t: TestApp;
  let model: FakeOpenAi;
  const clients: Client[] = [];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const headers = { accept: 'application/json, text/event-stream' };
  const init = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
  };
  const token = async (name: string): Promise<CreatedAccessTokenDto> => {
    const res = await t.http().post('/api/access-tokens').set(bearer(t.adminToken)).send({ name, scope: 'operate' });
    expect(res.status).toBe(201);
    return res.body as CreatedAccessTokenDto;
  };
  async function mcp(secret: string): Promise<Client> {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers: bearer(secret) } }),
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    // A slow model: each Butler turn takes ~1.5 s, so ask_butler calls overlap.
    model = await startFakeOpenAi({ delayMs: 1500 });
    t = await startTestApp({
      BUTLER_BASE_URL: model.url,
      BUTLER_MODEL: 'fake-butler',
      MCP_RATE_LIMIT: '20',
      MCP_ASK_CONCURRENCY: '2',
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await t?.close();
    await model?.close();
  });

  it('refuses a caller over its request rate with 429 and Retry-After; other tokens and sessions go on', async () => {
    const flood = await token('flood');
    for (let i = 0; i < 20; i++)
      expect((await t.http().post('/mcp').set(headers).set(bearer(flood.token)).send(init)).status).toBe(200);
    const over = await t.http().post('/mcp').set(headers).set(bearer(flood.token)).send(init);
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body.error.message).toMatch(/Too many requests/);
    // Counted per token: another token of the same user, and the user's session, are not held up.
    const other = await token('other');
    expect((await t.http().post('/mcp').set(headers).set(bearer(other.token)).send(init)).status).toBe(200);
    expect((await t.http().post('/mcp').set(headers).set(bearer(t.adminToken)).send(init)).status).toBe(200);
  });

  it('answers "busy" to an ask_butler over the caller\'s concurrency, and takes new ones once one ends', async () => {
    const asker = await token('asker');
    const [a, b, c] = await Promise.all([mcp(asker.token), mcp(asker.token), mcp(asker.token)]);
    const ask = (client: Client) =>
      client.callTool({ name: 'ask_butler', arguments: { text: 'list agents' } }) as Promise<CallToolResult>;
    // Three at once; each holds its turn ~1.5 s (the model's delay), so whichever arrives third is refused.
    const results = await Promise.all([ask(a), ask(b), ask(c)]);
    const busy = results.filter((r) => r.isError);
    expect(busy).toHaveLength(1);
    expect(JSON.stringify(busy[0].content)).toMatch(/Busy: at most 2 ask_butler calls at once per token/);
    for (const r of results.filter((x) => !x.isError)) expect(r.structuredContent).toMatchObject({ answered: true });
    // The slots were released.
    expect((await ask(c)).isError).toBeFalsy();
  });

  it('trims token names; a name of spaces is refused with a field message', async () => {
    const spaces = await t
      .http()
      .post('/api/access-tokens')
      .set(bearer(t.adminToken))
      .send({ name: '   ', scope: 'read' });
    expect(spaces.status).toBe(400);
    expect(JSON.stringify(spaces.body)).toMatch(/name must be 1 to 64 characters/);
    const padded = await t
      .http()
      .post('/api/access-tokens')
      .set(bearer(t.adminToken))
      .send({ name: '  CI reader  ', scope: 'read' });
    expect(padded.status).toBe(201);
    expect(padded.body.name).toBe('CI reader');
  });
});
