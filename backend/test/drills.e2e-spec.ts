/**
 * Shortened reliability drills (the full ones: `npm run drill:*`, see docs/deployment.md). Each starts
 * two real `node backend/dist/main.js` processes on a fresh MySQL/MariaDB database and a private Redis,
 * breaks something, and asserts the drill's report has no failure. They run in the MySQL pass of the
 * e2e suite only (E2E_DB=mysql with MYSQL_URL), once, and skip with one line when a piece is missing.
 */
import { existsSync } from 'node:fs';
import { approvalsRestartDrill } from '../../drills/approvals-restart';
import { butlerCrashDrill } from '../../drills/butler-crash';
import { chaosDrill } from '../../drills/chaos';
import { barrageDrill } from '../../drills/barrage';
import { dbOutageDrill } from '../../drills/db-outage';
import { killNodeDrill } from '../../drills/kill-node';
import { MAIN_JS } from '../../drills/lib/cluster';
import { NGINX } from '../../drills/lib/nginx';
import { MARIADB_INSTALL_DB, MARIADBD, REDIS_SERVER } from '../../drills/lib/services';
import type { Report } from '../../drills/lib/util';
import { redisOutageDrill } from '../../drills/redis-outage';
import { slowConsumerDrill } from '../../drills/slow-consumer';

process.env.DRILL_QUIET = '1';
const MYSQL_URL = process.env.MYSQL_URL;

function skipReason(): string | null {
  if (process.env.E2E_DB !== 'mysql' || !MYSQL_URL) return 'they run in the MySQL e2e pass (MYSQL_URL set)';
  if (!REDIS_SERVER) return 'redis-server is not installed';
  if (!existsSync(MAIN_JS)) return `${MAIN_JS} is not built (npm test builds it)`;
  return null;
}

const why = skipReason();
if (why) process.stdout.write(`reliability drills skipped: ${why}\n`);
const suite = why ? describe.skip : describe;
const mysqlUrl = MYSQL_URL ?? '';

/** Prints the drill's figures (they are the point of a drill) and fails with every one of its failures. */
function check(report: Report): void {
  const lines: string[] = [];
  report.print((l) => lines.push(l));
  process.stdout.write(lines.join('\n') + '\n');
  expect(report.failures).toEqual([]);
}

suite('reliability drills (shortened)', () => {
  jest.setTimeout(180_000);

  it('kill -9 of a node under load loses no acked message; clients fail over and catch up', async () => {
    check(await killNodeDrill({ mysqlUrl, senders: 4, ratePerSender: 30, durationMs: 6000, killAfterMs: 2500 }));
  });

  it('SIGTERM drains: in-flight sends are acked or refused, sockets reconnect elsewhere, exit within the bound', async () => {
    check(
      await killNodeDrill({
        mysqlUrl,
        senders: 4,
        ratePerSender: 30,
        durationMs: 6000,
        killAfterMs: 2500,
        signal: 'SIGTERM',
      }),
    );
  });

  it('a Redis outage leaves each node serving its own sockets and cross-node delivery comes back', async () => {
    check(
      await redisOutageDrill({
        mysqlUrl,
        senders: 4,
        ratePerSender: 20,
        beforeMs: 1500,
        outageMs: 3000,
        afterMs: 3000,
      }),
    );
  });

  (MARIADBD && MARIADB_INSTALL_DB ? it : it.skip)(
    'a database outage turns health 503, fails sends clearly and recovers (private MariaDB)',
    async () => {
      check(await dbOutageDrill({ senders: 4, ratePerSender: 20, beforeMs: 1500, outageMs: 4000, afterMs: 3000 }));
    },
  );

  it('a bad-input barrage leaves the node up, bounded, and every valid message stored', async () => {
    check(await barrageDrill({ mysqlUrl, durationMs: 6000, maxActions: 3000, maxGrowthMiB: 100, seed: 11 }));
  });

  (NGINX ? it : it.skip)("behind docker/nginx.conf, a killed node's clients are sent to the other node", async () => {
    check(
      await killNodeDrill({
        mysqlUrl,
        senders: 4,
        ratePerSender: 30,
        durationMs: 6000,
        killAfterMs: 2500,
        viaNginx: true,
      }),
    );
  });

  it('approvals pending across a restart of both nodes are decided after it and run exactly once', async () => {
    check(await approvalsRestartDrill({ mysqlUrl, approvals: 5 }));
  });

  it('Butler turns cut off by kill -9 of their node are answered by the survivor, each exactly once', async () => {
    check(await butlerCrashDrill({ mysqlUrl, threads: 4 }));
  });

  it('Butler turns still running when their node is sent SIGTERM are answered exactly once', async () => {
    check(await butlerCrashDrill({ mysqlUrl, threads: 4, signal: 'SIGTERM' }));
  });

  it('a client that never reads is cut off instead of growing the node', async () => {
    check(
      await slowConsumerDrill({
        mysqlUrl,
        senders: 4,
        ratePerSender: 40,
        textBytes: 12000,
        durationMs: 6000,
        maxGrowthMiB: 64,
        maxQueuedBytes: 1024 * 1024,
      }),
    );
  });

  it('a 3-minute seeded chaos soak keeps every invariant (npm run drill:chaos for longer runs)', async () => {
    // Every invariant fails npm test, "every receiver complete 3 s after each fault" included.
    check(await chaosDrill({ mysqlUrl, minutes: 3, seed: Number(process.env.DRILL_SEED ?? 2026) }));
  }, 420_000);
});
