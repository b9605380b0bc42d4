// Drill: the compose topology without Docker. docker/nginx.conf runs on loopback in front of two nodes;
// every client knows only nginx's address. One node is killed under load: nginx must send its clients'
// WebSocket reconnects to the other node, and nothing acked may be lost.
import { drillEnv } from './lib/cluster';
import { envNum, runCli } from './lib/scenario';
import { killNodeDrill } from './kill-node';

if (require.main === module) {
  runCli(async () => {
    const report = await killNodeDrill({
      mysqlUrl: drillEnv().mysqlUrl,
      senders: envNum('DRILL_SENDERS', 8),
      ratePerSender: envNum('DRILL_RATE', 40),
      durationMs: envNum('DRILL_DURATION_MS', 15000),
      killAfterMs: envNum('DRILL_KILL_AFTER_MS', 6000),
      signal: process.argv.includes('--sigterm') ? 'SIGTERM' : 'SIGKILL',
      viaNginx: true,
    });
    (report as { name: string }).name = `${report.name}, clients behind nginx (docker/nginx.conf)`;
    return report;
  });
}
