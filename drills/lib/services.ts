// Private MariaDB and Redis instances for drills that stop them: the machine's own servers are shared
// by everyone's tests, so an outage drill must never touch them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep, waitUntil } from './util';

/** A server we started and can stop and start again on the same port and data. */
export interface PrivateServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage is not a clean shutdown). */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const which = (bin: string, dirs = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']) => dirs.map((d) => join(d, bin)).find((p) => existsSync(p)) ?? null;

export const MARIADBD = which('mariadbd');
export const MARIADB_INSTALL_DB = which('mariadb-install-db');
export const REDIS_SERVER = which('redis-server');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function killAndWait(child: ChildProcess | null, port: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
  await waitUntil(async () => !(await portOpen(port)), 5000, `port ${port} to close`);
}

/** A throwaway MariaDB: own datadir, socket and port, no grant tables (loopback only). Ready in ~1 s. */
export async function privateMariadb(): Promise<PrivateServer> {
  if (!MARIADBD || !MARIADB_INSTALL_DB) throw new Error('mariadbd / mariadb-install-db not found');
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-drill-mariadb-'));
  const datadir = join(dir, 'data');
  mkdirSync(datadir);
  const install = spawnSync(MARIADB_INSTALL_DB, ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(process.getuid?.() === 0 ? ['--user=root'] : [])], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const log = openSync(join(dir, 'mariadbd.log'), 'a');
    child = spawn(
      MARIADBD!,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'pid')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
        '--max-connections=500',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ],
      { stdio: ['ignore', log, log] },
    );
    await waitUntil(() => portOpen(port), 15000, `private MariaDB on ${port}`);
  };
  await start();
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    port,
    start,
    stop: () => killAndWait(child, port),
    destroy: async () => {
      await killAndWait(child, port);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway redis-server on a free loopback port that keeps nothing on disk. */
export async function privateRedis(): Promise<PrivateServer> {
  if (!REDIS_SERVER) throw new Error('redis-server not found');
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-drill-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitUntil(() => portOpen(port), 10000, `private Redis on ${port}`);
    await sleep(50);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: () => killAndWait(child, port),
    destroy: async () => {
      await killAndWait(child, port);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
