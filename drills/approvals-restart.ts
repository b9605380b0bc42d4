// Drill: approvals outlive the nodes. An operator asks the Butler for side-effecting agent commands; the
// approvals are PENDING when both nodes go down (one SIGTERM, one kill -9) and come back. Decided after
// the restart (on either node, some twice at once on both, some rejected), every approved command must
// run exactly once on the agent, and no rejected one at all.
import type { ApprovalDto, CommandRunEvent } from '@echocenter/contracts';
import { createConnection } from 'mysql2/promise';
import { api, Peer, registerAgent } from './lib/clients';
import { drillEnv } from './lib/cluster';
import { envNum, runCli, withTwoNodes } from './lib/scenario';
import { log, Report, sleep, waitUntil } from './lib/util';

export interface ApprovalsRestartOptions {
  mysqlUrl: string;
  approvals: number;
}

const CARD = {
  description: 'drill agent',
  version: '1.0.0',
  commands: [{ name: 'clean', args: '<path>', description: 'frees space (side effect)' }],
};

export async function approvalsRestartDrill(o: ApprovalsRestartOptions): Promise<Report> {
  const report = new Report('restart with pending approvals');
  return withTwoNodes({ mysqlUrl: o.mysqlUrl, senders: 0, receivers: 0 }, async ({ a, b, db, admin, peers }) => {
    const nodes = () => [a.url, b.url];
    const butler = (await api(a.url, 'GET', '/api/butler', admin)).body.id as number;
    const ag = await registerAgent(a.url, admin, 'Drill-Custodian');
    // The agent: counts every command:run it gets and answers it, re-introduces itself after reconnects.
    const runs = new Map<number, number>();
    const agent = new Peer('Drill-Custodian', ag.id, ag.token, nodes());
    agent.reconnectDeadlineMs = 90000;
    agent.handlers.push([
      'command:run',
      (run: CommandRunEvent) => {
        runs.set(run.commandId, (runs.get(run.commandId) ?? 0) + 1);
        void agent.socket
          ?.timeout(5000)
          .emitWithAck('command:result', {
            commandId: run.commandId,
            ok: true,
            result: `cleaned ${run.args ?? run.command}`,
          })
          .catch(() => undefined);
      },
    ]);
    agent.onConnected = async (s) => void (await s.timeout(5000).emitWithAck('agent:hello', CARD));
    const operator = new Peer('admin', 1, admin, nodes());
    const butlerSaid: string[] = [];
    operator.handlers.push([
      'chat:message',
      (m: { senderId: number; text: string }) => void (m.senderId === butler && butlerSaid.push(m.text)),
    ]);
    peers.push(agent, operator);
    await agent.connect();
    await agent.onConnected(agent.socket!);
    await operator.connect();

    // One thread per request, so the Butler's per-thread queue does not serialise them.
    for (let i = 0; i < o.approvals; i++) {
      const thread = (await api(a.url, 'POST', '/api/conversations', admin, { title: `drill ${i}` })).body.id as number;
      const ack = (await operator.socket!.timeout(5000).emitWithAck('chat:send', {
        targetId: butler,
        text: `ask Drill-Custodian to clean /srv/drill-${i}`,
        conversationId: thread,
        localId: `ask-${i}`,
      })) as { ok: boolean };
      if (!ack.ok) throw new Error(`ask ${i}: ${JSON.stringify(ack)}`);
    }
    const pendingNow = async () =>
      (
        (await api<{ items: ApprovalDto[] }>(a.url, 'GET', '/api/approvals?status=PENDING&limit=200', admin)).body
          .items ?? []
      ).filter((x) => x.agentName === 'Drill-Custodian');
    await waitUntil(
      async () => (await pendingNow()).length >= o.approvals,
      30000,
      `${o.approvals} pending approvals`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the Butler said: ${butlerSaid.slice(0, 3).join(' | ') || 'nothing'}`);
    });
    const pending = await pendingNow();
    log(`${pending.length} approvals PENDING; restarting both nodes (A: SIGTERM, B: kill -9)`);

    const downAt = Date.now();
    a.kill('SIGTERM');
    b.kill('SIGKILL');
    await Promise.all([a.exited, b.exited]);
    const a2 = await a.restart();
    const b2 = await b.restart();
    const upMs = Date.now() - downAt;
    await waitUntil(() => agent.connected, 60000, 'the agent to reconnect');
    await sleep(500);
    const after = (
      await api<{ items: ApprovalDto[] }>(a2.url, 'GET', '/api/approvals?status=PENDING&limit=200', admin)
    ).body.items.filter((x) => x.agentName === 'Drill-Custodian');

    // Decide: every 5th rejected; every 4th approved twice at once on both nodes; the rest alternately.
    const decisions: { id: number; approved: boolean; statuses: number[] }[] = [];
    await Promise.all(
      after.map(async (ap, i) => {
        const approved = i % 5 !== 4;
        const urls = i % 4 === 0 ? [a2.url, b2.url] : [i % 2 ? a2.url : b2.url];
        const res = await Promise.all(
          urls.map((u) => api(u, 'POST', `/api/approvals/${ap.id}/decision`, admin, { approved })),
        );
        decisions.push({ id: ap.id, approved, statuses: res.map((r) => r.status).sort() });
      }),
    );
    const final = async () =>
      Promise.all(
        decisions.map(async (d) => (await api<ApprovalDto>(a2.url, 'GET', `/api/approvals/${d.id}`, admin)).body),
      );
    const settled = (s: string) => ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED'].includes(s);
    await waitUntil(
      async () => (await final()).every((x) => settled(x.status)),
      30000,
      'every approval to settle',
    ).catch(() => undefined);
    await sleep(1000); // a duplicate run would arrive now
    const outcome = await final();

    const c = await createConnection(db.url);
    const [dupRows] = (await c.query(
      'SELECT approval_id AS id, COUNT(*) AS n FROM agent_commands WHERE approval_id IN (?) GROUP BY approval_id HAVING COUNT(*) > 1',
      [decisions.map((d) => d.id)],
    )) as unknown as [{ id: number; n: number }[]];
    await c.end();
    const approvedOnes = outcome.filter((x) => decisions.find((d) => d.id === x.id)!.approved);
    const rejectedOnes = outcome.filter((x) => !decisions.find((d) => d.id === x.id)!.approved);
    const ranOnce = approvedOnes.filter((x) => x.commandId !== null && runs.get(x.commandId) === 1).length;
    const ranTwice = [...runs.values()].filter((n) => n > 1).length;
    const rejectedRan = rejectedOnes.filter((x) => x.commandId !== null && runs.has(x.commandId)).length;
    const doubleClicks = decisions.filter((d) => d.statuses.length === 2);

    report.fig('command', `npm run drill:approvals (approvals=${o.approvals})`);
    report.fig('approvals pending before the restart', pending.length);
    report.fig('still pending after it', after.length);
    report.fig('both nodes down → both healthy again', `${upMs} ms`);
    report.fig('approved / rejected', `${approvedOnes.length} / ${rejectedOnes.length}`);
    report.fig(
      'decided twice at once on both nodes',
      `${doubleClicks.length} (answers ${JSON.stringify(doubleClicks.map((d) => d.statuses))})`,
    );
    report.fig(
      'final statuses',
      JSON.stringify(outcome.reduce<Record<string, number>>((m, x) => ((m[x.status] = (m[x.status] ?? 0) + 1), m), {})),
    );
    report.fig('approved commands run exactly once', `${ranOnce}/${approvedOnes.length}`);
    report.fig('commands run more than once', ranTwice);
    report.fig('rejected commands that ran', rejectedRan);
    report.fig('approvals with more than one command row', dupRows.length);
    report.expect(
      after.length === pending.length,
      `${pending.length - after.length} pending approvals did not survive the restart`,
    );
    report.expect(
      ranOnce === approvedOnes.length,
      `${approvedOnes.length - ranOnce} approved commands did not run exactly once`,
    );
    report.expect(ranTwice === 0 && dupRows.length === 0, 'a command ran twice');
    report.expect(rejectedRan === 0, 'a rejected command ran');
    report.expect(
      approvedOnes.every((x) => x.status === 'SUCCEEDED'),
      `approved ones ended ${approvedOnes.map((x) => x.status).join(',')}`,
    );
    report.expect(
      rejectedOnes.every((x) => x.status === 'REJECTED'),
      `rejected ones ended ${rejectedOnes.map((x) => x.status).join(',')}`,
    );
    report.expect(
      doubleClicks.every((d) => d.statuses.join() === '200,409'),
      'a double decision did not answer 200 + 409',
    );
    return report;
  });
}

if (require.main === module) {
  runCli(() => approvalsRestartDrill({ mysqlUrl: drillEnv().mysqlUrl, approvals: envNum('DRILL_APPROVALS', 12) }));
}
