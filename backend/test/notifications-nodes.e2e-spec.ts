import type { AuditEntryDto, NotificationAttemptDto, NotificationDto, WebhookPayload } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { PresenceService } from '../src/gateway/presence.service';
import { until } from './fakes/butler-kit';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { multiNodeUnavailable } from './support/node-cluster';
import { pauseSender, resumeSender, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';
import type { TestApp } from './support/test-app';

/** Two nodes share one outbox the way production runs them: MySQL for the rows, Redis between the nodes. */
function skipReason(): string | null {
  if (process.env.E2E_DB !== 'mysql') return 'it runs in the MySQL e2e pass (E2E_DB=mysql, MYSQL_URL set)';
  return multiNodeUnavailable();
}
const why = skipReason();
if (why) process.stdout.write(`two-node notification suite skipped: ${why}\n`);
const suite = why ? describe.skip : describe;

suite('out-of-band approvals: two nodes, one outbox', () => {
  let h: NotificationsHub;
  let nodeB: TestApp;
  const nodeIdOf = (node: TestApp) => node.app.get(PresenceService).nodeId;
  const sleep = pauseSender;
  const wake = resumeSender;
  const attemptsBy = async (channelId: number) =>
    (await h.t.app
      .get(DataSource)
      .query(`SELECT node_id AS node FROM notification_attempts WHERE channel_id = ${channelId}`)) as {
      node: string;
    }[];

  beforeAll(async () => {
    // A try may take 5 s, but a claim lapses after 1 s: a node that looks dead is taken over quickly.
    h = await startNotificationsHub({
      NOTIFY_TIMEOUT_MS: '5000',
      NOTIFY_CLAIM_MS: '1000',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `ec-notify-${Date.now()}`,
    });
    nodeB = await h.t.restart();
  });
  afterAll(async () => {
    await nodeB?.close({ dropDatabase: false });
    await h?.close();
  });

  it('two nodes polling one outbox deliver each notification exactly once', async () => {
    const hook = await startWebhookReceiver();
    try {
      const { channel } = await h.addChannel({
        name: 'twin',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
      });
      // Twenty test messages queued at once: both nodes race for every row.
      for (let i = 0; i < 10; i++) {
        await h.t.http().post(`/api/notifications/channels/${channel.id}/test`).set(h.auth()).expect(202);
        await nodeB.http().post(`/api/notifications/channels/${channel.id}/test`).set(h.auth()).expect(202);
      }
      await until(() => hook.received.length >= 20, 10000, 'twenty deliveries');
      await new Promise((r) => setTimeout(r, 500));
      const keys = hook.received.map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
      const log = (await h.t.http().get(`/api/notifications/channels/${channel.id}/deliveries?limit=100`).set(h.auth()))
        .body.items as NotificationAttemptDto[];
      expect(log).toHaveLength(20);
      await h.removeChannel(channel.id);
    } finally {
      await hook.close();
    }
  });

  it("the second node's sender delivers on its own: with node A's asleep, node B sends what A queued", async () => {
    const hook = await startWebhookReceiver();
    sleep(h.t);
    try {
      const { channel } = await h.addChannel({
        name: 'only B',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
      });
      for (let i = 0; i < 3; i++)
        await h.t.http().post(`/api/notifications/channels/${channel.id}/test`).set(h.auth()).expect(202);
      await until(() => hook.received.length === 3, 8000, "node B's deliveries");
      await until(async () => (await attemptsBy(channel.id)).length === 3, 8000, 'the delivery log');
      const nodes = await attemptsBy(channel.id);
      expect(nodes.map((n) => n.node)).toEqual([nodeIdOf(nodeB), nodeIdOf(nodeB), nodeIdOf(nodeB)]);
      await h.removeChannel(channel.id);
    } finally {
      wake(h.t);
      await hook.close();
    }
  });

  it('a node dying mid-send: the other takes the row over with the same key, and the approval is decided once', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    // Node A's try (the first) is answered only at the end: to the hub, A died holding the row.
    let tries = 0;
    const hook = await startWebhookReceiver({
      answer: async () => (++tries === 1 ? (await held, { status: 200 }) : { status: 200 }),
    });
    sleep(nodeB);
    try {
      const { channel } = await h.addChannel({
        name: 'takeover',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      const { id } = await h.requestApproval('/takeover');
      await until(() => hook.arrivals.length === 1, 8000, "node A's try");
      sleep(h.t);
      wake(nodeB);
      await until(() => hook.received.length === 1, 8000, "node B's try, once A's claim lapsed");
      expect(hook.arrivals).toHaveLength(2);
      const [fromA, fromB] = hook.arrivals;
      expect(fromB.headers['idempotency-key']).toBe(fromA.headers['idempotency-key']);
      const outbox = (await h.t.http().get(`/api/notifications/outbox?channelId=${channel.id}`).set(h.auth())).body
        .items as NotificationDto[];
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ status: 'SENT', attempts: 2 });
      expect((await attemptsBy(channel.id)).map((n) => n.node)).toEqual([nodeIdOf(nodeB)]);

      // A's late answer changes nothing: the row is B's.
      release();
      await until(async () => (await attemptsBy(channel.id)).length === 2, 8000, "node A's late log line");
      await new Promise((r) => setTimeout(r, 300));
      expect(
        (await h.t.http().get(`/api/notifications/outbox?channelId=${channel.id}`).set(h.auth())).body.items,
      ).toMatchObject([{ status: 'SENT', attempts: 2 }]);
      expect(hook.arrivals).toHaveLength(2);

      // Both messages carry a link for the admin; the first decides, the second meets the decision.
      const linkIn = (r: { json: unknown }) => (r.json as WebhookPayload).links[0].url;
      const a = await h.openLink(linkIn(fromA));
      const b = await h.openLink(linkIn(fromB));
      expect((await h.postLink(linkIn(fromA), a, id)).status).toBe(200);
      expect((await h.postLink(linkIn(fromB), b, id)).status).toBe(409);
      await until(async () => (await h.approvalOf(id)).status === 'SUCCEEDED', 8000, 'the command');
      const approved = (await h.t.http().get('/api/audit?action=approval.approved').set(h.auth()).expect(200)).body
        .items as AuditEntryDto[];
      expect(approved.filter((e) => e.targetId === id)).toHaveLength(1);
      expect(h.agent.runs.filter((r) => r.args === '/takeover')).toHaveLength(1);
    } finally {
      release();
      wake(h.t);
      wake(nodeB);
      await hook.close();
    }
  });
});
