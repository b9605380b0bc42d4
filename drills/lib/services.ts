// Private MariaDB and Redis instances for drills that stop them: the machine's own servers are shared
// by everyone's tests, so an outage drill must never touch them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
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

const which = (bin: string, dirs = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']) =>
  dirs.map((d) => join(d, bin)).find((p) => existsSync(p)) ?? null;

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

/**
 * Kills the server whose pid is in `pidFile` and removes `dir` once `owner` is gone, however it went
 * (a crashed test run, kill -9): a detached shell polling every second, stopped by `destroy()`.
 */
function watchdog(owner: number, pidFile: string, dir: string): ChildProcess {
  const script = [
    'while kill -0 "$0" 2>/dev/null; do sleep 1; done',
    'p=$(cat "$1" 2>/dev/null)',
    '[ -n "$p" ] && [ "$(cat /proc/$p/comm 2>/dev/null)" = mariadbd ] && kill -9 "$p"',
    'sleep 1; rm -rf "$2"',
  ].join('\n');
  const dog = spawn('/bin/sh', ['-c', script, String(owner), pidFile, dir], { detached: true, stdio: 'ignore' });
  dog.unref();
  return dog;
}

/**
 * A throwaway MariaDB: own datadir, socket and port, no grant tables (loopback only). Ready in ~1 s.
 * `args` go to mariadbd after ours (e.g. `--innodb-autoinc-lock-mode=2`, MySQL 8's default). The server
 * and its directory go away on `destroy()`, when it fails to start, and when this process ends anyhow.
 */
export async function privateMariadb(args: string[] = []): Promise<PrivateServer> {
  if (!MARIADBD || !MARIADB_INSTALL_DB) throw new Error('mariadbd / mariadb-install-db not found');
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-drill-mariadb-'));
  const datadir = join(dir, 'data');
  const pidFile = join(dir, 'pid');
  const dog = watchdog(process.pid, pidFile, dir);
  let child: ChildProcess | null = null;
  let port = 0;
  const destroy = async () => {
    await killAndWait(child, port);
    dog.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const start = async () => {
    const log = openSync(join(dir, 'mariadbd.log'), 'a');
    const proc = spawn(
      MARIADBD!,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${pidFile}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
        '--max-connections=500',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        ...args,
      ],
      { stdio: ['ignore', log, log] },
    );
    child = proc;
    await waitUntil(
      () => {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`mariadbd exited (${proc.exitCode ?? proc.signalCode}):\n${logTail(dir)}`);
        return portOpen(port);
      },
      15000,
      `private MariaDB on ${port}`,
    );
  };
  try {
    mkdirSync(datadir);
    const install = spawnSync(
      MARIADB_INSTALL_DB,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
    port = await freePort();
    await start();
  } catch (err) {
    await destroy().catch(() => undefined);
    throw err;
  }
  return { url: `mysql://root@127.0.0.1:${port}`, port, start, stop: () => killAndWait(child, port), destroy };
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'mariadbd.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A throwaway redis-server on a free loopback port that keeps nothing on disk. */
export async function privateRedis(): Promise<PrivateServer> {
  if (!REDIS_SERVER) throw new Error('redis-server not found');
  const dir = mkdtempSync(join(tmpdir(), 'echocenter-drill-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      REDIS_SERVER!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
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
