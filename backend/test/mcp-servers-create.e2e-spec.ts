import { DataSource } from 'typeorm';
import type { AgentDto, AuditEntryDto, McpServerDto } from '@echocenter/contracts';
import { SettingsService } from '../src/settings/settings.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 23's audit (gap 11): adding an MCP server registers its agent, writes the server row and seals its
 * secrets in one transaction, so a failure midway leaves no agent without a server and no unstartable row.
 * The bridge launcher stays off here: only the database is under test.
 */
describe('adding an MCP server is all or nothing (issue 23)', () => {
  let t: TestApp;
  const bearer = () => ({ authorization: `Bearer ${t.adminToken}` });
  const body = (name: string) => ({
    name,
    transport: 'http',
    url: 'http://127.0.0.1:9/mcp',
    headers: { Authorization: 'Bearer never-stored-in-clear' },
  });
  const agentNames = async () =>
    ((await t.http().get('/api/agents').set(bearer())).body as AgentDto[]).map((a) => a.name);
  const serverRows = async () =>
    Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM mcp_servers'))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('a failure after the agent and the row were written (sealing the secrets) leaves nothing behind', async () => {
    const crypto = t.app.get(SettingsService).crypto!;
    const seal = jest.spyOn(crypto, 'seal').mockImplementationOnce(() => {
      throw new Error('forced: sealing failed');
    });
    const failed = await t.http().post('/api/mcp-servers').set(bearer()).send(body('Half-Made'));
    expect(seal).toHaveBeenCalled();
    expect(failed.status).toBe(500);
    expect(await agentNames()).not.toContain('Half-Made');
    expect(await serverRows()).toBe(0);
    const [{ n: creds }] = await t.app
      .get(DataSource)
      .query(
        "SELECT COUNT(*) AS n FROM agent_credentials c JOIN actors a ON a.id = c.agent_id WHERE a.name = 'Half-Made'",
      );
    expect(Number(creds)).toBe(0);
    const audit = (await t.http().get('/api/audit?targetType=agent').set(bearer())).body.items as AuditEntryDto[];
    expect(audit.filter((e) => e.targetName === 'Half-Made')).toEqual([]);

    // The name was never taken: the same request now succeeds, once, with one agent and one row.
    const made = await t.http().post('/api/mcp-servers').set(bearer()).send(body('Half-Made'));
    expect(made.status).toBe(201);
    expect((made.body as McpServerDto).name).toBe('Half-Made');
    expect((await agentNames()).filter((n) => n === 'Half-Made')).toHaveLength(1);
    expect(await serverRows()).toBe(1);
    const after = (await t.http().get('/api/audit?targetType=agent').set(bearer())).body.items as AuditEntryDto[];
    expect(
      after
        .filter((e) => e.targetName === 'Half-Made')
        .map((e) => e.action)
        .sort(),
    ).toEqual(['agent.registered', 'mcp_server.created']);
  });

  it('a taken name is a 409 on the name field, and adds no second row', async () => {
    const dup = await t.http().post('/api/mcp-servers').set(bearer()).send(body('half-made'));
    expect(dup.status).toBe(409);
    expect(JSON.stringify(dup.body)).toMatch(/already taken/);
    expect(await serverRows()).toBe(1);
  });
});
