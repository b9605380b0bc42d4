import type { WebhookPayload } from '@echocenter/contracts';
import { until } from './fakes/butler-kit';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { pathOf, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';
import { ADMIN } from './support/test-app';

describe('out-of-band approvals: expiry', () => {
  let h: NotificationsHub;

  beforeAll(async () => {
    h = await startNotificationsHub({ APPROVAL_TTL: '2s', APPROVAL_WARN_BEFORE: '1s' }, () => ({
      ok: true,
      result: 'unused',
    }));
  });
  afterAll(() => h?.close());

  it('tells approval.expiring and approval.decided once; a link of an expired approval is refused', async () => {
    const hook = await startWebhookReceiver();
    try {
      await h.addChannel({
        name: 'all',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested', 'approval.expiring', 'approval.decided'],
      });
      await h.requestApproval('/expiring');
      // Its page opened while it was pending; the form is posted after the approval expired.
      await until(() => hook.received.length >= 1, 8000, 'approval.requested');
      const early = await h.t
        .http()
        .get(pathOf((hook.received[0].json as WebhookPayload).links[0].url))
        .expect(200);
      await until(() => hook.received.some((r) => r.json.event === 'approval.decided'), 8000, 'the expiry');
      expect(hook.received.map((r) => r.json.event)).toEqual([
        'approval.requested',
        'approval.expiring',
        'approval.decided',
      ]);
      expect((hook.received[2].json as WebhookPayload).approval!.status).toBe('EXPIRED');
      const link = (hook.received[0].json as WebhookPayload).links[0].url;
      const page = await h.t.http().get(pathOf(link));
      expect(page.status).toBe(410);
      expect(page.text).toContain('data-problem="expired"');
      const late = await h.t
        .http()
        .post(pathOf(link))
        .set('cookie', (early.headers['set-cookie'] as unknown as string[])[0].split(';')[0])
        .type('form')
        .send({
          csrf: /name="csrf" value="([^"]+)"/.exec(early.text)![1],
          approval: String((hook.received[0].json as WebhookPayload).approval!.id),
          decision: 'approve',
          password: ADMIN.password,
        });
      expect(late.status).toBe(410);
      expect(late.text).toContain('data-problem="expired"');
    } finally {
      await hook.close();
    }
  });
});
