import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT, AGENT_TOKEN, startHub } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { launchFleet, type Fleet, type FleetLogLevel } from './launcher';

// Stands in for the agent CLI: crashes on its first run, then stays up until SIGTERM.
const FAKE_CLI = `
const fs = require('node:fs');
const file = process.env.COUNTER_FILE;
const run = (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0) + 1;
fs.writeFileSync(file, String(run));
console.log('run ' + run + ' ' + process.argv[2] + ' ' + process.env.ECHO_URL + ' ' + process.env.ECHO_TOKEN);
if (run === 1 || process.env.EXIT_CODE) process.exit(Number(process.env.EXIT_CODE || 1));
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
setInterval(() => {}, 1000);
`;

describe('launchFleet', () => {
  let dir: string;
  let fleet: Fleet | undefined;
  const lines: Array<[FleetLogLevel, string, string | undefined]> = [];
  const log = (level: FleetLogLevel, message: string, agent?: string) => void lines.push([level, message, agent]);
  const logged = (text: string) => lines.some(([, message]) => message.includes(text));
  const until = async (probe: () => boolean, what: string, timeoutMs = 10_000) => {
    const started = Date.now();
    while (!probe()) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for ${what}; log: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fleet-'));
    await fs.writeFile(path.join(dir, 'fake-cli.js'), FAKE_CLI);
    lines.length = 0;
  });

  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  const launchFake = (env: Record<string, string> = {}) =>
    launchFleet({
      url: 'http://hub.test',
      agents: [{ name: 'fake-agent', token: 'secret-token', env: { COUNTER_FILE: path.join(dir, 'count'), ...env } }],
      cliPath: path.join(dir, 'fake-cli.js'),
      restart: { initialDelayMs: 20 },
      log,
    });

  it('passes url and token through the environment, restarts a crashed agent and stops it', async () => {
    fleet = launchFake();
    await until(() => logged('run 2'), 'the restart');
    expect(lines).toContainEqual(['info', 'run 1 fake-agent http://hub.test secret-token', 'fake-agent']);
    expect(lines).toContainEqual(['warn', 'exited with code 1; restarting in 20 ms', 'fake-agent']);
    expect(fleet.status()).toEqual([expect.objectContaining({ name: 'fake-agent', state: 'running', restarts: 1 })]);
    await fleet.stop();
    expect(logged('bye')).toBe(true);
    expect(fleet.status()[0]!.state).toBe('stopped');
  });

  it("hands a child an allow-listed environment, never the hub's secrets (issue 19, hole 7a)", async () => {
    await fs.writeFile(
      path.join(dir, 'print-env.js'),
      "console.log('ENV ' + JSON.stringify(process.env)); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);",
    );
    const hub = {
      JWT_SECRET: 'jwt-secret-value',
      SETTINGS_KEY: 'settings-key-value',
      DATABASE_URL: 'mysql://root:pw@db/echo',
      BUTLER_API_KEY: 'sk-hub',
      REDIS_URL: 'redis://r',
    };
    fleet = launchFleet({
      url: 'http://hub.test',
      agents: [
        {
          name: 'storage-custodian',
          token: 'tok',
          env: { EXTRA: '1' },
          command: { file: process.execPath, args: [path.join(dir, 'print-env.js')] },
        },
      ],
      env: {
        ...process.env,
        ...hub,
        PATH: '/usr/bin:/bin',
        LC_ALL: 'C.UTF-8',
        STORAGE_DIR: '/data/hive',
        ECHO_BOT_HEARTBEAT_MS: '5',
        // Every agent's chat model, this agent's own persona and model name, another agent's (never passed on).
        AGENT_MODEL_BASE_URL: 'http://llm.test/v1',
        AGENT_MODEL: 'shared-model',
        STORAGE_CUSTODIAN__AGENT_MODEL: 'custodian-model',
        STORAGE_CUSTODIAN__AGENT_PERSONA: 'A tidy custodian.',
        ECHO_BOT__AGENT_PERSONA: 'A parrot.',
      },
      log,
    });
    await until(() => logged('ENV '), 'the printed environment');
    const printed = JSON.parse(lines.find(([, message]) => message.startsWith('ENV '))![1].slice(4)) as Record<
      string,
      string
    >;
    // Its own variables, its spec's, the hub's address and its token, and what any program needs.
    expect(printed).toMatchObject({
      STORAGE_DIR: '/data/hive',
      EXTRA: '1',
      ECHO_URL: 'http://hub.test',
      ECHO_TOKEN: 'tok',
      PATH: '/usr/bin:/bin',
      LC_ALL: 'C.UTF-8',
    });
    expect(printed).toMatchObject({
      AGENT_MODEL_BASE_URL: 'http://llm.test/v1',
      AGENT_MODEL: 'custodian-model',
      AGENT_PERSONA: 'A tidy custodian.',
    });
    expect(JSON.stringify(printed)).not.toContain('A parrot.');
    expect(Object.keys(printed).filter((k) => k.includes('__'))).toEqual([]);
    // Not the hub's secrets, nor another agent's settings.
    for (const name of [...Object.keys(hub), 'ECHO_BOT_HEARTBEAT_MS']) expect(printed).not.toHaveProperty(name);
    expect(JSON.stringify(printed)).not.toMatch(/jwt-secret-value|settings-key-value|root:pw|sk-hub/);
  });

  it('does not restart after exit code 2 (token refused)', async () => {
    fleet = launchFake({ EXIT_CODE: '2' });
    await until(() => fleet!.status()[0]!.state === 'failed', 'the failure');
    await new Promise((r) => setTimeout(r, 100));
    expect(await fs.readFile(path.join(dir, 'count'), 'utf8')).toBe('1');
    expect(lines).toContainEqual([
      'error',
      'exited with code 2; not restarting (fix the token or the options)',
      'fake-agent',
    ]);
  });

  it('stays quiet when Ctrl-C reaches the host and its agents together: no restart, no "exited … restarting" line', async () => {
    await fs.writeFile(path.join(dir, 'count'), '1'); // past the fake's first (crashing) run
    const listenersBefore = process.listenerCount('SIGINT');
    fleet = launchFake();
    await until(() => logged('run 2'), 'the agent to start');
    // The terminal signals the process group: the host sees SIGINT (jest's own listener stands in for the hub's
    // shutdown hook, so the launcher does not re-raise it) and the child gets it too and exits 0.
    const hostHook = () => undefined;
    process.on('SIGINT', hostHook);
    try {
      process.emit('SIGINT', 'SIGINT');
      process.kill(fleet.status()[0]!.pid!, 'SIGINT');
      await until(() => fleet!.status()[0]!.state === 'stopped', 'the agent to stop');
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off('SIGINT', hostHook);
    }
    expect(lines.filter(([level]) => level !== 'info')).toEqual([]);
    expect(await fs.readFile(path.join(dir, 'count'), 'utf8')).toBe('2');
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore + 1); // the launcher's, until stop()
    await fleet.stop();
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
  });

  describe('with the real CLI (from source, through tsx)', () => {
    let hub: TestHub;

    beforeEach(async () => {
      hub = await startHub();
    });

    afterEach(async () => {
      await fleet?.stop();
      fleet = undefined;
      await hub.stop();
    });

    const cli = { cliPath: path.join(__dirname, '..', 'cli.ts'), execArgv: ['--import', 'tsx'] };

    it('brings echo-bot online, answers a command, and stops it cleanly', async () => {
      fleet = launchFleet({ url: hub.url, agents: [{ name: 'echo-bot', token: AGENT_TOKEN }], log, ...cli });
      await hub.waitFor(() => hub.hellos.length > 0, 15_000, 'echo-bot hello');
      expect(hub.hellos[0]!.card.commands.map((c) => c.name)).toEqual(['echo', 'count']);
      await expect(hub.runCommand(AGENT.id, 'echo', 'via fleet').result).resolves.toMatchObject({
        ok: true,
        result: 'via fleet',
      });
      await fleet.stop();
      expect(lines).toContainEqual(['info', 'SIGTERM received, shutting down', 'echo-bot']);
      expect(fleet.status()[0]).toMatchObject({ state: 'stopped', lastExitCode: 0 });
    });

    it('reports a refused token once and exits with code 2', async () => {
      fleet = launchFleet({ url: hub.url, agents: [{ name: 'echo-bot', token: 'wrong' }], log, ...cli });
      await until(() => fleet!.status()[0]!.state === 'failed', 'exit code 2', 15_000);
      expect(fleet.status()[0]!.lastExitCode).toBe(2);
      expect(lines.filter(([level, m]) => level === 'warn' && m.includes('refused the agent token'))).toHaveLength(1);
      expect(hub.handshakes).toBe(1);
    });
  });
});
