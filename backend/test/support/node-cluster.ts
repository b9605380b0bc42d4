import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';

const REPO = resolve(__dirname, '..', '..', '..');

/**
 * Why the multi-node suites cannot run here, or null when MySQL and Redis are both reachable. Synchronous
 * (a tiny child process probes Redis) so a suite can decide between `it` and `it.skip` while registering.
 */
export function multiNodeUnavailable(): string | null {
  if (!process.env.MYSQL_URL) return 'MYSQL_URL is not set';
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const probe = `const s=require('net').connect(${Number(redis.port || 6379)},${JSON.stringify(redis.hostname)});s.setTimeout(1000);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0
    ? null
    : `no Redis at ${redis.host}`;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** Compiles the backend as `npm run build:backend` does, into a private folder (others may build too). */
export function buildBackend(): { dist: string; cleanup(): void } {
  const out = mkdtempSync(join(tmpdir(), 'echocenter-build-'));
  const res = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(REPO, 'backend/tsconfig.build.json'), '--outDir', out],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  if (res.status !== 0 && !existsSync(join(out, 'main.js')))
    throw new Error(`backend build failed:\n${res.stdout}${res.stderr}`);
  return { dist: out, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

/** A MySQL database created for this cluster and dropped by `drop()`. */
export async function createClusterDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.MYSQL_URL!;
  const name = `ec_nodes_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(base);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await createConnection(base);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export interface BackendNode {
  url: string;
  proc: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node dist/main.js` with the given environment and waits until /api/health answers. */
export async function startNode(dist: string, env: Record<string, string>, timeoutMs = 60_000): Promise<BackendNode> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'echocenter-node-'));
  const proc = spawn(process.execPath, [join(dist, 'main.js')], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      NODE_PATH: [join(REPO, 'backend', 'node_modules'), join(REPO, 'node_modules')].join(':'),
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      FRONTEND_DIR: join(dataDir, 'no-console'),
      FLEET: 'off',
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const node: BackendNode = {
    url,
    proc,
    output: () => log,
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`node exited with ${proc.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return node;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await node.kill('SIGKILL');
  throw new Error(`node on ${url} did not become healthy in ${timeoutMs} ms:\n${log}`);
}
