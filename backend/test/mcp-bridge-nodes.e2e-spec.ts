import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentDto, McpServerDto } from '@echocenter/contracts';
import { McpBridgeLauncher } from '../src/mcp-servers/mcp-bridge-launcher';
import { until } from './fakes/butler-kit';
import { startMcpHttpServer } from './fakes/mcp-http-server';
import { multiNodeUnavailable } from './support/node-cluster';
import { startTestApp, type TestApp } from './support/test-app';

const ROOT = join(__dirname, '..', '..');
const unavailable = multiNodeUnavailable() ?? (existsSync(join(ROOT, 'node_modules', 'tsx')) ? null : 'no tsx');
if (unavailable) process.stdout.write(`MCP bridge two-node e2e skipped: ${unavailable}\n`);
const suite = unavailable ? describe.skip : describe;

/**
 * Issue 23's audit, gap 3: in a cluster one node runs the bridges (MCP_BRIDGES). Whichever node takes an
 * admin's request (nginx picks one), the bridging node starts, restarts and stops the bridge: node A runs
 * them, node B (launcher never enabled, as with MCP_BRIDGES=off) takes every request, over MariaDB and Redis.
 */
suite('MCP bridges in a two-node cluster: requests taken by the other node reach the bridging node', () => {
  let a: TestApp;
  let b: TestApp;
  const bearer = () => ({ authorization: `Bearer ${b.adminToken}` });
  const agentOn = async (node: TestApp, id: number) =>
    (await node.http().get(`/api/agents/${id}`).set(bearer())).body as AgentDto;

  beforeAll(async () => {
    a = await startTestApp(
      {
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `ec-mcp-${randomBytes(4).toString('hex')}`,
      },
      { mysqlUrl: process.env.MYSQL_URL },
    );
    const enabled = a.app.get(McpBridgeLauncher).enable(a.url, {
      launcherPath: join(ROOT, 'agents', 'fleet', 'launcher.ts'),
      cliPath: join(ROOT, 'agents', 'cli.ts'),
      execArgv: ['--import', 'tsx'],
    });
    expect(enabled).toBe(true);
    b = await a.restart();
    expect(b.app.get(McpBridgeLauncher).enabled).toBe(false);
  }, 60_000);
  afterAll(async () => {
    await b?.close({ dropDatabase: false });
    await a?.close();
  });

  it('add, rotate + restart, remove and agent deletion through node B act on node A’s bridges', async () => {
    const remote = await startMcpHttpServer('node-secret', [
      { name: 'lookup', description: 'Finds a ticket', inputSchema: { type: 'object', properties: {} } },
    ]);
    const launcherA = a.app.get(McpBridgeLauncher);
    try {
      const add = async (name: string) => {
        const res = await b
          .http()
          .post('/api/mcp-servers')
          .set(bearer())
          .send({ name, transport: 'http', url: remote.url, headers: { Authorization: 'Bearer node-secret' } });
        expect(res.status).toBe(201);
        const server = res.body as McpServerDto;
        await until(async () => (await agentOn(a, server.agentId)).online, 30_000, `${name}'s bridge on node A`);
        expect(launcherA.state(server.id)).toBe('running');
        return server;
      };
      const first = await add('Remote-1');

      // A rotation and a restart, both taken by B: B does not answer 409; A restarts the bridge with the new token.
      expect((await b.http().post(`/api/agents/${first.agentId}/token`).set(bearer())).status).toBe(200);
      await until(async () => !(await agentOn(a, first.agentId)).online, 10_000, 'the locked-out bridge offline');
      const restarted = await b.http().post(`/api/mcp-servers/${first.id}/restart`).set(bearer());
      expect(restarted.status).toBe(200);
      await until(async () => (await agentOn(a, first.agentId)).online, 30_000, 'the restarted bridge online');

      // Removal through B stops A's bridge.
      expect((await b.http().delete(`/api/mcp-servers/${first.id}`).set(bearer())).status).toBe(204);
      await until(() => launcherA.state(first.id) === 'stopped', 10_000, "node A's bridge to stop after a removal");

      // Deleting the agent itself through B (Agents page) stops A's bridge too.
      const second = await add('Remote-2');
      expect((await b.http().delete(`/api/agents/${second.agentId}`).set(bearer())).status).toBe(204);
      await until(() => launcherA.state(second.id) === 'stopped', 10_000, "node A's bridge to stop after the deletion");
    } finally {
      await remote.close();
    }
  }, 120_000);
});
