import type { NotificationDto, WebhookPayload } from '@echocenter/contracts';
import { until } from './fakes/butler-kit';
import { startSmtpSink } from './fakes/smtp-sink';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { pauseSender, resumeSender, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';
import { createUser } from './support/test-app';

/** Named recipients are admins as they are when a message is queued and again when it is sent. */
describe('out-of-band approvals: named recipients who stopped being admins', () => {
  let h: NotificationsHub;
  beforeAll(async () => {
    h = await startNotificationsHub();
  });
  afterAll(() => h?.close());

  it('a named admin demoted or disabled gets no link and no e-mail, whether before the message is queued or before it is sent', async () => {
    const smtp = await startSmtpSink({ user: 'hub', pass: 'smtp-pass-1' });
    const hook = await startWebhookReceiver();
    try {
      const me = (await h.t.http().get('/api/auth/me').set(h.auth()).expect(200)).body as { id: number };
      const bob = await createUser(h.t, 'bob', 'ADMIN');
      const carol = await createUser(h.t, 'carol', 'ADMIN');
      const mail = await h.addChannel({
        name: 'mail',
        kind: 'EMAIL',
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          username: 'hub',
          from: 'hub@example.test',
          allowPlaintext: true,
        },
        secret: 'smtp-pass-1',
        events: ['approval.requested'],
        recipients: [
          { actorId: me.id, address: 'admin@example.test' },
          { actorId: bob.user.id, address: 'bob@example.test' },
          { actorId: carol.user.id, address: 'carol@example.test' },
        ],
      });
      const room = await h.addChannel({
        name: 'room',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        recipients: [{ actorId: bob.user.id }, { actorId: carol.user.id }],
      });
      const demote = () => h.t.http().patch(`/api/users/${bob.user.id}`).set(h.auth()).send({ role: 'MEMBER' });
      const disable = () => h.t.http().patch(`/api/users/${carol.user.id}`).set(h.auth()).send({ disabled: true });

      // Queued while bob and carol were admins, sent after: they are told nothing, and it shows why.
      pauseSender(h.t);
      const first = await h.requestApproval('/queued');
      await demote().expect(200);
      await disable().expect(200);
      resumeSender(h.t);
      await until(() => smtp.mails.length >= 1 && hook.received.length === 1, 8000, 'the messages');
      let dead: NotificationDto[] = [];
      await until(
        async () => {
          dead = (
            await h.t.http().get(`/api/notifications/outbox?status=DEAD&channelId=${mail.channel.id}`).set(h.auth())
          ).body.items;
          return dead.length === 2;
        },
        8000,
        'the two messages nobody may receive',
      );
      expect(dead.map((n) => n.lastError)).toEqual([
        'the recipient is no longer an active admin',
        'the recipient is no longer an active admin',
      ]);
      expect(smtp.mails.flatMap((m) => m.to)).toEqual(['admin@example.test']);
      const payload = hook.received[0].json as WebhookPayload;
      expect(payload.approval!.id).toBe(first.id);
      expect(payload.links).toEqual([]);

      // Queued after: no row is owed to them at all.
      await h.requestApproval('/later');
      await until(() => smtp.mails.length === 2 && hook.received.length === 2, 8000, 'the second messages');
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.mails.flatMap((m) => m.to)).toEqual(['admin@example.test', 'admin@example.test']);
      expect((hook.received[1].json as WebhookPayload).links).toEqual([]);
      const owed = (await h.t.http().get(`/api/notifications/outbox?channelId=${mail.channel.id}`).set(h.auth())).body
        .items as NotificationDto[];
      expect(owed).toHaveLength(4);
      await h.removeChannel(mail.channel.id);
      await h.removeChannel(room.channel.id);
    } finally {
      resumeSender(h.t);
      await Promise.all([smtp.close(), hook.close()]);
    }
  });
});
