// Drill: a node goes down in the middle of Butler turns. An operator asks the Butler (offline brain), on
// node A, for an agent's status in several threads; the agent holds its answers, so every turn is still
// waiting on it when A is killed (-9; or sent SIGTERM, with the agent answering during A's drain). Node B
// must take the unanswered messages over and answer each exactly once, in its own thread, pushed live to
// the operator's other socket on B. With SIGTERM, A and B race for each answer: still exactly one.
import type { CommandRunEvent } from '@echocenter/contracts';
import { createConnection } from 'mysql2/promise';
import { api, Peer, registerAgent } from './lib/clients';
import { drillEnv } from './lib/cluster';
import { envNum, runCli, withTwoNodes } from './lib/scenario';
import { log, Report, sleep, waitUntil } from './lib/util';

export interface ButlerCrashOptions {
  mysqlUrl: string;
  threads: number;
  signal?: 'SIGKILL' | 'SIGTERM';
}

const CARD = {
  description: 'drill agent',
  version: '1.0.0',
  commands: [{ name: 'get_status', description: 'reports its state', readOnly: true }],
};
// Short presence timeouts so B notices A's death within seconds (the defaults are 5 s / 20 s).
const ENV = { PRESENCE_HEARTBEAT_MS: '500', PRESENCE_NODE_TIMEOUT_MS: '2500', AGENT_COMMAND_TIMEOUT_MS: '60000' };

export async function butlerCrashDrill(o: ButlerCrashOptions): Promise<Report> {
  const report = new Report('node killed in the middle of Butler turns');
  return withTwoNodes(
    { mysqlUrl: o.mysqlUrl, senders: 0, receivers: 0, env: ENV },
    async ({ a, b, db, admin, peers }) => {
      const butler = (await api(a.url, 'GET', '/api/butler', admin)).body.id as number;
      const ag = await registerAgent(a.url, admin, 'Drill-Sentinel');
      // The agent answers a command:run only once `release` is set: until then every turn waits on it.
      let release = false;
      const held: CommandRunEvent[] = [];
      const agent = new Peer('Drill-Sentinel', ag.id, ag.token, [b.url]);
      const answer = (run: CommandRunEvent) =>
        void agent.socket
          ?.timeout(5000)
          .emitWithAck('command:result', { commandId: run.commandId, ok: true, result: 'all green' })
          .catch(() => undefined);
      agent.handlers.push(['command:run', (run: CommandRunEvent) => (release ? answer(run) : held.push(run))]);
      agent.onConnected = async (s) => void (await s.timeout(5000).emitWithAck('agent:hello', CARD));
      // The operator asks through a socket on A and watches the answers arrive on its socket on B.
      const operator = new Peer('admin', 1, admin, [a.url]);
      operator.reconnectDeadlineMs = 0;
      const watcher = new Peer('admin', 1, admin, [b.url]);
      const answers = new Map<number, number>();
      watcher.handlers.push([
        'chat:message',
        (m: { senderId: number; conversationId: number | null }) => {
          if (m.senderId === butler && m.conversationId !== null)
            answers.set(m.conversationId, (answers.get(m.conversationId) ?? 0) + 1);
        },
      ]);
      peers.push(agent, operator, watcher);
      await agent.connect();
      await agent.onConnected(agent.socket!);
      // The card only claims read-only; an admin confirms it, so each ask runs at once (no approval).
      const confirmed = await api(a.url, 'PUT', `/api/agents/${ag.id}/policies/get_status`, admin, { readOnly: true });
      if (confirmed.status !== 200)
        throw new Error(`confirm get_status: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
      await operator.connect();
      await watcher.connect();

      const threads: number[] = [];
      for (let i = 0; i < o.threads; i++) {
        const thread = (await api(a.url, 'POST', '/api/conversations', admin, { title: `crash drill ${i}` })).body
          .id as number;
        const ack = (await operator.socket!.timeout(5000).emitWithAck('chat:send', {
          targetId: butler,
          text: 'ask Drill-Sentinel to get_status',
          conversationId: thread,
          localId: `crash-${i}`,
        })) as { ok: boolean };
        if (!ack.ok) throw new Error(`ask ${i}: ${JSON.stringify(ack)}`);
        threads.push(thread);
      }
      await waitUntil(() => held.length >= o.threads, 15000, `${o.threads} commands to reach the agent`);
      const signal = o.signal ?? 'SIGKILL';
      log(`${held.length} turns waiting on the agent; sending ${signal} to node A`);
      const killedAt = Date.now();
      a.kill(signal);
      // After a kill the held commands are answered to no one (A is gone); after SIGTERM, during A's drain.
      if (signal === 'SIGKILL') await a.exited;
      release = true;
      held.forEach(answer);
      await a.exited;
      const beforeExit = threads.filter((t) => answers.has(t)).length;

      await waitUntil(() => threads.every((t) => (answers.get(t) ?? 0) >= 1), 30000, 'an answer in every thread').catch(
        () => undefined,
      );
      const answeredMs = Date.now() - killedAt;
      await sleep(1500); // a second answer would arrive now
      const c = await createConnection(db.url);
      const [rows] = (await c.query(
        "SELECT m.conversation_id AS thread, COUNT(r.id) AS n FROM chat_messages m LEFT JOIN chat_messages r ON r.reply_to = m.id AND r.sender_kind = 'BUTLER' WHERE m.conversation_id IN (?) AND m.target_id = ? GROUP BY m.id, m.conversation_id",
        [threads, butler],
      )) as unknown as [{ thread: number; n: number | string }[]];
      const [marks] = (await c.query(
        'SELECT COUNT(*) AS n FROM chat_messages WHERE turn_node IS NOT NULL AND conversation_id IN (?)',
        [threads],
      )) as unknown as [{ n: number | string }[]];
      await c.end();
      const stored = rows.map((r) => Number(r.n));
      const live = threads.map((t) => answers.get(t) ?? 0);

      report.fig(
        'command',
        `npm run drill:butler${signal === 'SIGTERM' ? ' -- --sigterm' : ''} (threads=${o.threads})`,
      );
      report.fig(`turns waiting on the agent at ${signal}`, held.length);
      report.fig(
        `${signal} → every thread answered${signal === 'SIGKILL' ? ' (B sweeps A after 2.5 s)' : ''}`,
        `${answeredMs} ms`,
      );
      if (signal === 'SIGTERM')
        report.fig(
          'threads answered before A exited (A finishes its turns while draining)',
          `${beforeExit}/${o.threads}`,
        );
      report.fig('stored answers per message', JSON.stringify(stored));
      report.fig('live answers per thread at the operator', JSON.stringify(live));
      report.fig('marks left once answered', Number(marks[0].n));
      report.expect(
        stored.length === o.threads && stored.every((n) => n === 1),
        'a message was not answered exactly once',
      );
      report.expect(
        live.every((n) => n === 1),
        'the operator did not get exactly one live answer per thread',
      );
      report.expect(Number(marks[0].n) === 0, 'answered messages kept their turn mark');
      report.expect(b.alive(), 'node B died');
      return report;
    },
  );
}

if (require.main === module) {
  const signal = process.argv.includes('--sigterm') ? 'SIGTERM' : 'SIGKILL';
  runCli(() => butlerCrashDrill({ mysqlUrl: drillEnv().mysqlUrl, threads: envNum('DRILL_THREADS', 8), signal }));
}
