// The common set-up: two nodes on one database and one Redis, operators and agents spread over them.
import { Cluster, createDatabase, type Database, type Node } from './cluster';
import { adminToken, createOperator, Peer, registerAgent } from './clients';
import { Sender } from './load';
import { startNginx, type Balancer } from './nginx';
import { privateRedis, type PrivateServer } from './services';
import { join } from 'node:path';
import { log } from './util';

export interface Scenario {
  db: Database;
  redis: PrivateServer;
  cluster: Cluster;
  a: Node;
  b: Node;
  admin: string;
  receivers: Peer[];
  senders: Sender[];
  peers: Peer[];
  balancer: Balancer | null;
  /** Closes clients, kills nodes, drops the database, stops Redis. */
  teardown(): Promise<void>;
}

export interface ScenarioOptions {
  /** MySQL/MariaDB server URL without a database; a fresh database is created on it and dropped. */
  mysqlUrl: string;
  senders: number;
  receivers?: number;
  textBytes?: number;
  env?: Record<string, string>;
  /** Receivers fail over and catch up (default); false keeps each client on its node. */
  failover?: boolean;
  /** Put docker/nginx.conf in front: every client uses its URL only, from its own 127.0.0.x address. */
  viaNginx?: boolean;
  /** Receivers (operators) follow logs too: log:new live and GET /api/logs?after= on catch-up. */
  trackLogs?: boolean;
}

/**
 * Redis is always a private redis-server: the adapter's channels carry room deliveries by actor id, and
 * another suite's nodes on the shared Redis would receive ours (and we theirs).
 */
export async function twoNodes(o: ScenarioOptions): Promise<Scenario> {
  const db = await createDatabase(o.mysqlUrl);
  const redis = await privateRedis();
  const cluster = new Cluster({ dbUrl: db.url, redisUrl: redis.url, env: o.env });
  const peers: Peer[] = [];
  let balancer: Balancer | null = null;
  const teardown = async () => {
    peers.forEach((p) => p.close());
    await balancer?.stop();
    await cluster.stop();
    await db.drop().catch((err) => log(`could not drop ${db.name}: ${String(err)}`));
    await redis.destroy();
  };
  try {
    const a = await cluster.startNode('A');
    const b = await cluster.startNode('B');
    log(`nodes up: A ${a.url} (pid ${a.pid}), B ${b.url} (pid ${b.pid}); database ${db.name}; redis ${redis.url}`);
    const admin = await adminToken(a.url);
    if (o.viaNginx) balancer = await startNginx([a, b], join(cluster.dir, 'nginx'));
    const lb = balancer;
    const order = (i: number) =>
      lb
        ? [lb.url]
        : o.failover === false
          ? [i % 2 === 0 ? a.url : b.url]
          : i % 2 === 0
            ? [a.url, b.url]
            : [b.url, a.url];
    const receivers: Peer[] = [];
    for (let i = 0; i < (o.receivers ?? 2); i++) {
      const op = await createOperator(a.url, admin, `operator${i}`);
      const peer = new Peer(`operator${i}`, op.id, op.token, order(i));
      peer.trackLogs = o.trackLogs === true;
      receivers.push(peer);
    }
    const senders: Sender[] = [];
    for (let i = 0; i < o.senders; i++) {
      const ag = await registerAgent(a.url, admin, `drill-agent-${i}`);
      senders.push(
        new Sender(
          new Peer(`agent${i}`, ag.id, ag.token, order(i)),
          receivers.map((r) => r.id),
          o.textBytes,
        ),
      );
    }
    peers.push(...receivers, ...senders.map((s) => s.peer));
    if (lb) peers.forEach((p, i) => (p.localAddress = `127.0.0.${2 + i}`));
    for (const r of receivers) r.catchUpPeers = senders.map((s) => s.peer.id);
    await Promise.all(peers.map((p) => p.connect()));
    return { db, redis, cluster, a, b, admin, receivers, senders, peers, balancer, teardown };
  } catch (err) {
    await teardown();
    throw err;
  }
}

/** Runs a drill body on a fresh scenario and always tears it down. */
export async function withTwoNodes<T>(o: ScenarioOptions, body: (s: Scenario) => Promise<T>): Promise<T> {
  const s = await twoNodes(o);
  try {
    return await body(s);
  } finally {
    await s.teardown();
  }
}

/** CLI entry shared by the drills: prints the report, exits 0 on pass, 1 on fail, 2 when it could not run. */
export function runCli(run: () => Promise<{ print(): void; ok: boolean }>): void {
  // Drills run what `npm start` runs: build the backend first when its sources are newer than dist.
  const lib = '../../scripts/lib.mjs';
  // DRILL_NO_BUILD=1 runs the dist as it is (e.g. while a shared tree does not compile).
  const ready =
    process.env.DRILL_NO_BUILD === '1'
      ? Promise.resolve()
      : (import(lib) as Promise<{ ensureBuilt(o: { frontend: boolean }): void }>).then((m) =>
          m.ensureBuilt({ frontend: false }),
        );
  ready.then(run).then(
    (r) => {
      r.print();
      process.exit(r.ok ? 0 : 1);
    },
    (err) => {
      process.stderr.write(`drill could not run: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(2);
    },
  );
}

export const envNum = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
