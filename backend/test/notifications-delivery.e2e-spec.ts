import type { AuditEntryDto, NotificationDto } from '@echocenter/contracts';
import { until } from './fakes/butler-kit';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { startNotificationsHub, type NotificationsHub } from './support/notifications-kit';

describe('out-of-band approvals: retries, dead letters, switched-off channels', () => {
  let h: NotificationsHub;
  beforeAll(async () => {
    h = await startNotificationsHub();
  });
  afterAll(() => h?.close());

  it('retries with backoff (same idempotency key) and succeeds on the third try; a test-send shows in the log', async () => {
    const hook = await startWebhookReceiver({ failFirst: 2 });
    try {
      const web = await h.addChannel({ name: 'flaky', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      const { id } = await h.requestApproval('/srv/a');
      await until(() => hook.received.some((r) => r.answered === 200), 8000, 'a successful delivery');
      expect(hook.received.map((r) => r.answered)).toEqual([503, 503, 200]);
      expect(new Set(hook.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(hook.received[0].json.approval.id).toBe(id);
      const log = await h.deliveries(web.channel.id);
      expect(log.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
        [3, true, 200],
        [2, false, 503],
        [1, false, 503],
      ]);
      const outbox = (
        await h.t.http().get(`/api/notifications/outbox?channelId=${web.channel.id}`).set(h.auth()).expect(200)
      ).body.items as NotificationDto[];
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ status: 'SENT', attempts: 3, lastStatusCode: 200 });

      const tested = await h.t
        .http()
        .post(`/api/notifications/channels/${web.channel.id}/test`)
        .set(h.auth())
        .expect(202);
      expect(tested.body[0].event).toBe('test');
      await until(() => hook.received.some((r) => r.json.event === 'test'), 8000, 'the test message');
      expect((await h.deliveries(web.channel.id))[0]).toMatchObject({ event: 'test', ok: true, statusCode: 200 });
      await h.removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });

  it('gives up after NOTIFY_MAX_ATTEMPTS: a visible dead letter an admin can retry (audited)', async () => {
    let healthy = false;
    const hook = await startWebhookReceiver({
      answer: () => (healthy ? { status: 204 } : { status: 500, body: 'down' }),
    });
    try {
      const web = await h.addChannel({ name: 'down', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      await h.requestApproval('/srv/b');
      let dead: NotificationDto[] = [];
      await until(
        async () => {
          dead = (
            await h.t.http().get(`/api/notifications/outbox?status=DEAD&channelId=${web.channel.id}`).set(h.auth())
          ).body.items;
          return dead.length === 1;
        },
        8000,
        'a dead letter',
      );
      expect(dead[0]).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500' });
      expect(hook.received).toHaveLength(3);

      healthy = true;
      await h.t.http().post(`/api/notifications/outbox/${dead[0].id}/retry`).set(h.auth()).expect(200);
      await until(() => hook.received.some((r) => r.answered === 204), 8000, 'the retried delivery');
      const again = await h.t.http().post(`/api/notifications/outbox/${dead[0].id}/retry`).set(h.auth());
      expect(again.status).toBe(409);
      const audit = (await h.t.http().get('/api/audit?action=notification.retried').set(h.auth()).expect(200)).body
        .items as AuditEntryDto[];
      expect(audit[0]).toMatchObject({ targetType: 'notification', targetId: dead[0].id, actorName: 'admin' });
      await h.removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });

  it('a channel switched off stops what it still owed: the next try makes it a dead letter at once', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    // The first try is answered (500) only once the channel is off: no race with the backoff.
    const hook = await startWebhookReceiver({ answer: async () => (await held, { status: 500 }) });
    try {
      const web = await h.addChannel({
        name: 'switched off',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
      });
      await h.requestApproval('/srv/c');
      await until(() => hook.arrivals.length === 1, 8000, 'the first try');
      await h.t
        .http()
        .put(`/api/notifications/channels/${web.channel.id}`)
        .set(h.auth())
        .send({ name: 'switched off', kind: 'WEBHOOK', enabled: false, events: ['approval.requested'] })
        .expect(200);
      release();
      let dead: NotificationDto[] = [];
      await until(
        async () => {
          dead = (
            await h.t.http().get(`/api/notifications/outbox?status=DEAD&channelId=${web.channel.id}`).set(h.auth())
          ).body.items;
          return dead.length === 1;
        },
        8000,
        'the dead letter',
      );
      expect(dead[0]).toMatchObject({ attempts: 2, lastError: 'the channel is disabled' });
      expect(hook.received).toHaveLength(1);
      await h.removeChannel(web.channel.id);
    } finally {
      release();
      await hook.close();
    }
  });
});
