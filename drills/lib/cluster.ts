// The production topology without Docker: N `node backend/dist/main.js` processes on one MySQL/MariaDB
// database and one Redis, each on its own loopback port (what nginx would balance across).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort, rssMiB, sleep, waitUntil } from './util';

export const ROOT = resolve(__dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'backend', 'dist', 'main.js');
export const ADMIN = { username: 'admin', password: 'drill-admin-pass-123' };

export interface Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database on a MySQL/MariaDB server (base URL without a path), dropped by `drop()`. */
export async function createDatabase(serverUrl: string): Promise<Database> {
  const name = `ec_drill_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const c = await createConnection(serverUrl);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const d = await createConnection(serverUrl);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

export interface Node {
  name: string;
  url: string;
  port: number;
  pid: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  rss(): number;
  kill(signal?: NodeJS.Signals): void;
  /** Starts the same node again (same port, env and log file). */
  restart(): Promise<Node>;
}

export interface ClusterOptions {
  dbUrl: string;
  redisUrl: string;
  /** Extra environment for every node (e.g. SOCKET_RATE_PER_SEC). */
  env?: Record<string, string>;
}

/** Shared secrets and a scratch dir for the nodes of one drill. */
export class Cluster {
  readonly nodes: Node[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'echocenter-drill-'));
  private readonly jwtSecret = randomBytes(32).toString('hex');

  constructor(private readonly opts: ClusterOptions) {
    if (!existsSync(MAIN_JS))
      throw new Error(`${MAIN_JS} is missing: build with npx tsc -p backend/tsconfig.build.json`);
  }

  /** Starts a node and waits until /api/health answers 200. Start nodes one after the other (migrations). */
  async startNode(name: string, port?: number): Promise<Node> {
    const p = port ?? (await freePort());
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      DB_DRIVER: 'mysql',
      DATABASE_URL: this.opts.dbUrl,
      REDIS_URL: this.opts.redisUrl,
      PORT: String(p),
      HOST: '127.0.0.1',
      DATA_DIR: join(this.dir, name),
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      JWT_SECRET: this.jwtSecret,
      FLEET: 'off',
      BCRYPT_COST: '4',
      LOG_LEVEL: process.env.DRILL_LOG_LEVEL ?? 'warn',
      LOG_PRETTY: 'false',
      FRONTEND_DIR: join(this.dir, 'no-console'),
      ...this.opts.env,
    };
    const logFile = join(this.dir, `${name}.log`);
    const out = openSync(logFile, 'a');
    const child: ChildProcess = spawn(process.execPath, [MAIN_JS], { cwd: ROOT, env, stdio: ['ignore', out, out] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    let dead = false;
    void exited.then(() => (dead = true));
    const url = `http://127.0.0.1:${p}`;
    const node: Node = {
      name,
      url,
      port: p,
      pid: child.pid!,
      logFile,
      exited,
      alive: () => !dead,
      rss: () => rssMiB(child.pid!),
      kill: (signal = 'SIGKILL') => void child.kill(signal),
      restart: async () => {
        if (!dead) {
          child.kill('SIGKILL');
          await exited;
        }
        const again = await this.startNode(name, p);
        this.nodes.splice(this.nodes.indexOf(node), 1);
        return again;
      },
    };
    this.nodes.push(node);
    try {
      await waitUntil(
        async () => {
          if (dead) throw new Error(`node ${name} exited during start:\n${tail(logFile)}`);
          return (await health(url)) === 200;
        },
        60000,
        `node ${name} to become healthy`,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return node;
  }

  /** Kills every node still running and removes the scratch dir (logs are kept when DRILL_KEEP=1). */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (!n.alive()) return;
        n.kill('SIGKILL');
        await n.exited;
      }),
    );
    if (process.env.DRILL_KEEP !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Status code of GET /api/health, or 0 when nothing answers within 3 s. */
export async function health(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Which env the drills need and whether this machine has it; a drill prints `skip` and exits 0 without. */
export function drillEnv(): { mysqlUrl: string; redisUrl: string } {
  return {
    mysqlUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

export { sleep };
