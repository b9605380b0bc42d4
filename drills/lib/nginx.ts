// docker/nginx.conf run for real on loopback, in front of two drill nodes: the same balancer as the
// compose deployment, with only addresses and writable paths changed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Node } from './cluster';
import { freePort, waitUntil } from './util';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p)) ?? null;

export interface Balancer {
  url: string;
  /** What `nginx -t` said about the rendered docker/nginx.conf. */
  check: string;
  stop(): Promise<void>;
}

/** Renders docker/nginx.conf for loopback: backendN:3000 → the nodes' ports, listen → a free port. */
export function renderNginxConf(nodes: Node[], port: number, dir: string): string {
  let conf = readFileSync(join(ROOT, 'docker', 'nginx.conf'), 'utf8');
  nodes.forEach((n, i) => (conf = conf.replace(`server backend${i + 1}:3000`, `server 127.0.0.1:${n.port}`)));
  conf = conf
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('worker_connections 16384;', 'worker_connections 1024;');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${join(dir, t)};`)
    .join('\n');
  conf = conf.replace('http {', `http {\n${temp}`);
  return `daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;\n${conf}`;
}

export async function startNginx(nodes: Node[], dir: string): Promise<Balancer> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx-light)');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, renderNginxConf(nodes, port, dir));
  const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', file], { encoding: 'utf8' });
  const check = (t.stderr || t.stdout)
    .trim()
    .split('\n')
    .filter((l) => !/could not open error log|warn.*worker_connections/.test(l))
    .join(' | ');
  if (t.status !== 0) throw new Error(`nginx -t failed: ${check}`);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', file], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () =>
      (await fetch(`${url}/api/health`)
        .then((r) => r.status)
        .catch(() => 0)) === 200,
    10000,
    'nginx to proxy /api/health',
  );
  return {
    url,
    check,
    stop: async () => {
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      child.kill('SIGKILL');
    },
  };
}
