import { createHmac } from 'node:crypto';
import type { ApprovalDto, NotificationChannelDto, WebhookPayload } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { ApprovalTxHooks } from '../src/approvals/approval-tx-hooks';
import { until } from './fakes/butler-kit';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { PUBLIC_URL, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';

describe('out-of-band approvals: message formats, signatures and the transactional outbox', () => {
  let h: NotificationsHub;
  beforeAll(async () => {
    h = await startNotificationsHub();
  });
  afterAll(() => h?.close());

  it('signs webhooks (HMAC over timestamp.body, secret shown once and stored sealed), Slack blocks and Feishu cards with its signature', async () => {
    const hook = await startWebhookReceiver();
    const slack = await startWebhookReceiver();
    const feishu = await startWebhookReceiver({ answer: () => ({ status: 200, body: '{"code":0,"msg":"success"}' }) });
    const ds = h.t.app.get(DataSource);
    try {
      const web = await h.addChannel({
        name: 'ops hook',
        kind: 'WEBHOOK',
        url: `${hook.url}/hook?token=RECEIVER-TOKEN-1234`,
        events: ['approval.requested', 'approval.decided'],
      });
      expect(web.secret).toMatch(/^whsec_/);
      const sl = await h.addChannel({
        name: 'slack',
        kind: 'SLACK',
        url: `${slack.url}/services/T000/B000/XXXXSECRETXXXX`,
        events: ['approval.requested'],
      });
      const fs = await h.addChannel({
        name: 'feishu',
        kind: 'FEISHU',
        url: `${feishu.url}/open-apis/bot/v2/hook/abcd`,
        events: ['approval.requested'],
        secret: 'feishu-bot-secret',
      });
      expect(sl.secret).toBeUndefined();
      expect(fs.channel.hasSecret).toBe(true);

      // Never returned again, and not in the database in clear.
      const listed = (await h.t.http().get('/api/notifications/channels').set(h.auth()).expect(200))
        .body as NotificationChannelDto[];
      expect(JSON.stringify(listed)).not.toContain(web.secret);
      expect(JSON.stringify(listed)).not.toContain('feishu-bot-secret');
      expect(JSON.stringify(listed)).not.toContain('XXXXSECRETXXXX');
      expect(JSON.stringify(listed)).not.toContain('RECEIVER-TOKEN');
      expect(listed.find((c) => c.id === web.channel.id)!.url).toBe(`${hook.url}/…1234`);
      const rows = await ds.query('SELECT secret FROM notification_channels');
      expect(JSON.stringify(rows)).not.toContain(web.secret);
      expect(JSON.stringify(rows)).not.toContain('feishu-bot-secret');

      const { id } = await h.requestApproval('/var/log');
      await until(
        () => hook.received.length >= 1 && slack.received.length >= 1 && feishu.received.length >= 1,
        8000,
        'three deliveries',
      );

      const w = hook.received[0];
      expect(w.path).toBe('/hook?token=RECEIVER-TOKEN-1234');
      const ts = w.headers['x-echocenter-timestamp'] as string;
      const expected = 'v1=' + createHmac('sha256', web.secret!).update(`${ts}.${w.body}`).digest('hex');
      expect(w.headers['x-echocenter-signature']).toBe(expected);
      expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(30);
      const payload = w.json as WebhookPayload;
      expect(payload.event).toBe('approval.requested');
      expect(w.headers['idempotency-key']).toBe(payload.idempotencyKey);
      expect(payload.approval).toMatchObject({
        id,
        status: 'PENDING',
        command: 'clean /var/log',
        agentName: 'Storage-Custodian',
        requestedBy: 'admin',
      });
      expect(payload.links).toHaveLength(1);
      expect(payload.links[0].url).toMatch(new RegExp(`^${PUBLIC_URL}/a/eca_[A-Za-z0-9_-]{43}$`));

      const s = slack.received[0];
      expect(s.path).toBe('/services/T000/B000/XXXXSECRETXXXX');
      const blocks = JSON.stringify(s.json.blocks);
      expect(blocks).toContain('clean /var/log');
      expect(blocks).toContain('Storage-Custodian');
      expect(blocks).toMatch(/min left/);
      const buttons = s.json.blocks.find((b: { type: string }) => b.type === 'actions').elements;
      expect(buttons.map((b: { text: { text: string } }) => b.text.text)).toEqual([
        'Approve (admin)',
        'Reject (admin)',
      ]);

      const f = feishu.received[0].json;
      const sign = createHmac('sha256', `${f.timestamp}\nfeishu-bot-secret`).update('').digest('base64');
      expect(f.sign).toBe(sign);
      expect(f.msg_type).toBe('interactive');
      expect(JSON.stringify(f.card)).toContain('clean /var/log');
      expect(f.card.elements.find((e: { tag: string }) => e.tag === 'action').actions).toHaveLength(2);

      // Shown masked; an edit that leaves the URL out keeps it (the next message still reaches the token's path).
      const shownSlack = listed.find((c) => c.id === sl.channel.id)!;
      expect(shownSlack.url).toBe(`${slack.url}/…XXXX`);
      await h.t
        .http()
        .put(`/api/notifications/channels/${sl.channel.id}`)
        .set(h.auth())
        .send({ name: 'slack ops', kind: 'SLACK', events: ['approval.requested', 'approval.decided'] })
        .expect(200);

      // The decision is told to the channels that want it, once.
      await h.t
        .http()
        .post(`/api/approvals/${id}/decision`)
        .set(h.auth())
        .send({ approved: false, reason: 'not now' })
        .expect(200);
      await until(() => hook.received.some((r) => r.json.event === 'approval.decided'), 8000, 'approval.decided');
      await until(() => slack.received.length === 2, 8000, 'the decision on Slack');
      expect(slack.received[1].path).toBe('/services/T000/B000/XXXXSECRETXXXX');
      const decided = hook.received.find((r) => r.json.event === 'approval.decided')!.json as WebhookPayload;
      expect(decided.approval).toMatchObject({ status: 'REJECTED', decidedBy: 'admin', decisionReason: 'not now' });
      expect(decided.links).toEqual([]);
      const log = await h.deliveries(web.channel.id);
      expect(log.map((a) => [a.event, a.ok, a.statusCode])).toEqual([
        ['approval.decided', true, 200],
        ['approval.requested', true, 200],
      ]);
      for (const c of [web, sl, fs]) await h.removeChannel(c.channel.id);
    } finally {
      await Promise.all([hook.close(), slack.close(), feishu.close()]);
    }
  });

  it('writes the outbox row in the transaction of the decision: when the transaction fails, neither exists', async () => {
    const hook = await startWebhookReceiver();
    const ds = h.t.app.get(DataSource);
    try {
      const web = await h.addChannel({ name: 'tx', kind: 'WEBHOOK', url: hook.url, events: ['approval.decided'] });
      const { id } = await h.requestApproval('/tx');
      // A listener after the outbox's fails: the whole transaction (decision and outbox row) rolls back.
      const off = h.t.app.get(ApprovalTxHooks).register(async () => {
        throw new Error('simulated failure after the outbox write');
      });
      const failed = await h.t.http().post(`/api/approvals/${id}/decision`).set(h.auth()).send({ approved: false });
      off();
      expect(failed.status).toBe(500);
      expect(((await h.t.http().get(`/api/approvals/${id}`).set(h.auth())).body as ApprovalDto).status).toBe('PENDING');
      const none = await ds.query(
        `SELECT id FROM notifications WHERE approval_id = ${id} AND event = 'approval.decided'`,
      );
      expect(none).toHaveLength(0);

      await h.t.http().post(`/api/approvals/${id}/decision`).set(h.auth()).send({ approved: false }).expect(200);
      const one = await ds.query(
        `SELECT id FROM notifications WHERE approval_id = ${id} AND event = 'approval.decided'`,
      );
      expect(one).toHaveLength(1);
      await until(() => hook.received.length === 1, 8000, 'the decided message');
      await h.removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });
});
