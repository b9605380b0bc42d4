import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';

export const REPO = resolve(__dirname, '..', '..', '..');
// HUB_MAIN points at another build (e.g. one compiled from a clean checkout).
const MAIN = process.env.HUB_MAIN ?? join(REPO, 'backend', 'dist', 'main.js');

export interface ServerProcess {
  url: string;
  pids: () => number[];
  stop(): Promise<void>;
  /** What the process printed so far (hubs run at LOG_LEVEL=warn, so little). */
  output?: () => string;
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function waitForLine(proc: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`no "${pattern}" within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => (clearTimeout(timer), fail(new Error(`exited with ${code}:\n${out}`))));
  });
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
    });
}

export async function startBare(env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'bare-server.ts')], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitForLine(proc, /listening (\d+)/, 30_000);
  return { url: `http://127.0.0.1:${m[1]}`, pids: () => [proc.pid!], stop: stopper(proc) };
}

interface SqliteDb {
  pragma(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): { lastInsertRowid: number | bigint } };
  transaction(fn: () => void): () => void;
  close(): void;
}

export interface HubDb {
  env: Record<string, string>;
  insertAgents(n: number, prefix: string): Promise<{ ids: number[]; tokens: string[] }>;
  drop(): Promise<void>;
}

/**
 * The hub's database, filled directly: registering 38,000 agents over REST would take longer than the runs.
 * MySQL: a fresh database on `mysqlUrl` (default MYSQL_URL).
 */
export async function createHubDb(driver: 'sqlite' | 'mysql', mysqlUrl = process.env.MYSQL_URL): Promise<HubDb> {
  const creds = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => {
      const token = `ec_${randomBytes(32).toString('base64url')}`;
      return {
        name: `${prefix}-${i}`,
        token,
        hash: createHash('sha256').update(token).digest('hex'),
        hint: `ec_…${token.slice(-4)}`,
      };
    });
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'echocenter-bench-db-'));
    const path = join(dir, 'bench.sqlite');
    return {
      env: { DB_DRIVER: 'sqlite', DATABASE_PATH: path },
      insertAgents: async (n, prefix) => {
        // better-sqlite3 ships no types and the backend reaches it through TypeORM; this is all we use.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
        const Database = require('better-sqlite3') as new (file: string) => SqliteDb;
        const db = new Database(path);
        db.pragma('busy_timeout = 10000');
        const rows = creds(n, prefix);
        const ids: number[] = [];
        const actor = db.prepare("INSERT INTO actors (type, name, name_key, commands) VALUES ('AGENT', ?, ?, '[]')");
        const cred = db.prepare('INSERT INTO agent_credentials (agent_id, token_hash, token_hint) VALUES (?, ?, ?)');
        db.transaction(() => {
          for (const r of rows) {
            const id = Number(actor.run(r.name, r.name.toLowerCase()).lastInsertRowid);
            cred.run(id, r.hash, r.hint);
            ids.push(id);
          }
        })();
        db.close();
        return { ids, tokens: rows.map((r) => r.token) };
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = mysqlUrl!;
  const name = `ec_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(base);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DB_DRIVER: 'mysql', DATABASE_URL: url.toString() },
    insertAgents: async (n, prefix) => {
      const c = await createConnection(url.toString());
      const rows = creds(n, prefix);
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await c.query('INSERT INTO actors (type, name, name_key, commands) VALUES ?', [
          chunk.map((r) => ['AGENT', r.name, r.name.toLowerCase(), '[]']),
        ]);
      }
      const [found] = (await c.query('SELECT id, name FROM actors WHERE name LIKE ?', [`${prefix}-%`])) as unknown as [
        { id: number; name: string }[],
      ];
      const byName = new Map(found.map((f) => [f.name, f.id]));
      const ids = rows.map((r) => byName.get(r.name)!);
      for (let i = 0; i < rows.length; i += 1000) {
        await c.query('INSERT INTO agent_credentials (agent_id, token_hash, token_hint) VALUES ?', [
          rows.slice(i, i + 1000).map((r, j) => [ids[i + j], r.hash, r.hint]),
        ]);
      }
      await c.end();
      return { ids, tokens: rows.map((r) => r.token) };
    },
    drop: async () => {
      const c = await createConnection(base);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

const HUB_ENV = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  FLEET: 'off',
  ADMIN_PASSWORD: 'bench-admin-password',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
};

/** One hub process (`node backend/dist/main.js`), or with `workers` > 1 a node cluster of them. */
export async function startHub(
  dbEnv: Record<string, string>,
  env: Record<string, string> = {},
  workers = 1,
): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'echocenter-bench-'));
  const port = String(await freePort());
  const full = { ...process.env, ...HUB_ENV, DATA_DIR: dataDir, PORT: port, ...dbEnv, ...env };
  // HUB_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the hub under load.
  const nodeArgs = (process.env.HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const script =
    workers > 1
      ? ['--import', 'tsx', join(__dirname, '..', 'cluster-main.ts'), String(workers), MAIN]
      : [...nodeArgs, MAIN];
  const proc = spawn(process.execPath, script, { cwd: REPO, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const keep = (d: Buffer) => (printed = (printed + d.toString()).slice(-100_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let workerPids: number[] = [];
  if (workers > 1) {
    const m = await waitForLine(proc, /cluster (\d+) ([\d,]+)/, 180_000);
    workerPids = m[2].split(',').map(Number);
    const url = `http://127.0.0.1:${m[1]}`;
    return {
      url,
      pids: () => [proc.pid!, ...workerPids],
      stop: async () => (await stopper(proc)(), rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  await waitForLine(proc, /running at http:\/\/localhost:(\d+)/, 120_000);
  return {
    url: `http://127.0.0.1:${port}`,
    pids: () => [proc.pid!],
    stop: async () => (await stopper(proc)(), rmSync(dataDir, { recursive: true, force: true })),
    output: () => printed,
  };
}
