import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AgentDto, McpServerDto } from '@echocenter/contracts';
import type { AuthActor } from '../src/auth/auth-actor';
import { ButlerTools } from '../src/butler/tools/butler-tools';
import { ButlerToolDeps } from '../src/butler/tools/butler-tool-deps';
import { McpBridgeLauncher } from '../src/mcp-servers/mcp-bridge-launcher';
import { until } from './fakes/butler-kit';
import { confirmReadOnly, startTestApp, type TestApp } from './support/test-app';

const ROOT = join(__dirname, '..', '..');
const RECORDER = join(__dirname, 'fakes', 'mcp-recorder-server.ts');
const TSX = join(ROOT, 'node_modules', 'tsx');
if (!existsSync(TSX)) process.stdout.write(`MCP bridge isolation e2e skipped: ${TSX} is not installed\n`);
const suite = existsSync(TSX) ? describe : describe.skip;

/** The hub's own secrets, set in the hub's environment for this suite (the launcher reads process.env). */
const HUB_SECRETS = {
  JWT_SECRET: 'hub-jwt-secret-0123456789abcdef',
  SETTINGS_KEY: 'hub-settings-key-0123456789abcdef',
  ECHO_TOKEN: 'hub-echo-token-should-not-pass',
  DATABASE_URL: 'mysql://hub:hub-db-password@db/echo',
};

/**
 * Issue 23's audit, gaps 4 and 5, with a stdio MCP server built with the SDK (test/fakes/mcp-recorder-server):
 * a cancel reaches it as MCP `notifications/cancelled` for the running call's request id (and aborts the
 * tool), and its environment holds the variables the admin gave it, never the hub's or the bridge's secrets.
 */
suite('a bridged stdio MCP server: cancellation reaches it, hub secrets do not', () => {
  let t: TestApp;
  let folder: string;
  let recordFile: string;
  let agent: AgentDto;
  let admin: AuthActor;
  const saved: Record<string, string | undefined> = {};
  const bearer = () => ({ authorization: `Bearer ${t.adminToken}` });
  const records = (): Array<Record<string, unknown>> =>
    existsSync(recordFile)
      ? readFileSync(recordFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];

  beforeAll(async () => {
    for (const [k, v] of Object.entries(HUB_SECRETS)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    folder = mkdtempSync(join(tmpdir(), 'echocenter-mcp-recorder-'));
    recordFile = join(folder, 'record.jsonl');
    t = await startTestApp();
    expect(
      t.app.get(McpBridgeLauncher).enable(t.url, {
        launcherPath: join(ROOT, 'agents', 'fleet', 'launcher.ts'),
        cliPath: join(ROOT, 'agents', 'cli.ts'),
        execArgv: ['--import', 'tsx'],
      }),
    ).toBe(true);
    const me = (await t.http().get('/api/auth/me').set(bearer())).body as { id: number; username: string };
    admin = { id: me.id, name: me.username, kind: 'ADMIN' };

    const res = await t
      .http()
      .post('/api/mcp-servers')
      .set(bearer())
      .send({
        name: 'Recorder',
        transport: 'stdio',
        command: process.execPath,
        args: ['--import', 'tsx', RECORDER],
        cwd: ROOT,
        env: { RECORD_FILE: recordFile, SHARE_NOTE: 'admin-given-value' },
      });
    expect(res.status).toBe(201);
    const server = res.body as McpServerDto;
    await until(
      async () => {
        agent = (await t.http().get(`/api/agents/${server.agentId}`).set(bearer())).body as AgentDto;
        return agent.online && agent.commands.length === 2;
      },
      30_000,
      'the recorder to be bridged',
    );
    await confirmReadOnly(t, agent.id, 'environment');
    await confirmReadOnly(t, agent.id, 'slow');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("a stdio server's environment has the admin's variables and none of the hub's or the bridge's secrets", async () => {
    const tools = new ButlerTools(t.app.get(ButlerToolDeps), admin, null);
    const out = await tools.commandAgent(agent.id, 'environment', 'what leaks');
    expect(out.status).toBe('SUCCEEDED');
    const [row] = await t.app.get(DataSource).query('SELECT result FROM agent_commands WHERE id = ?', [out.commandId]);
    const env = JSON.parse(row.result as string) as Record<string, string>;
    expect(env).toMatchObject({ RECORD_FILE: recordFile, SHARE_NOTE: 'admin-given-value' });
    expect(env.PATH).toBeTruthy();
    for (const name of ['ECHO_TOKEN', 'ECHO_URL', 'MCP_SERVER', 'JWT_SECRET', 'SETTINGS_KEY', 'DATABASE_URL'])
      expect([name, env[name]]).toEqual([name, undefined]);
    // No value carries a hub secret under another name either.
    const values = Object.values(env).join('\n');
    for (const secret of Object.values(HUB_SECRETS)) expect(values).not.toContain(secret);
  });

  it('a cancel reaches the server as notifications/cancelled for the running call, and aborts the tool', async () => {
    const tools = new ButlerTools(t.app.get(ButlerToolDeps), admin, null);
    const started = Date.now();
    const slow = tools.commandAgent(agent.id, 'slow', 'cancel test');
    await until(() => records().some((r) => r.event === 'started'), 15_000, 'the slow tool to start');
    const [cmd] = await t.app
      .get(DataSource)
      .query("SELECT id FROM agent_commands WHERE agent_id = ? AND status = 'RUNNING' ORDER BY id DESC", [agent.id]);
    expect((await t.http().post(`/api/commands/${cmd.id}/cancel`).set(bearer())).status).toBe(200);
    expect((await slow).status).toBe('CANCELLED');

    await until(() => records().some((r) => r.event === 'aborted'), 10_000, 'the tool to see the abort');
    expect(Date.now() - started).toBeLessThan(20_000);
    const start = records().find((r) => r.event === 'started')!;
    const cancelled = records().find((r) => r.event === 'cancelled');
    // The server received MCP cancellation naming the very request it was running.
    expect(cancelled).toBeDefined();
    expect((cancelled!.params as { requestId: unknown }).requestId).toBe(start.requestId);
    expect(records().find((r) => r.event === 'aborted')).toMatchObject({ requestId: start.requestId });
  });
});
