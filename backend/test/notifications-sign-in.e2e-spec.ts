import type { ApprovalDto, AuditEntryDto, WebhookPayload } from '@echocenter/contracts';
import { until } from './fakes/butler-kit';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { pathOf, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';
import { ADMIN } from './support/test-app';

const ADMIN_PASSWORD = ADMIN.password;

describe('out-of-band approvals: links that require signing in (APPROVAL_LINK_REQUIRES_LOGIN)', () => {
  let h: NotificationsHub;

  beforeAll(async () => {
    // A slow poll: what is delivered quickly here was sent because the change itself woke the sender.
    // LOGIN_RATE_LIMIT 5: the link page's password tries count like logins, per admin.
    h = await startNotificationsHub(
      { NOTIFY_POLL_MS: '10000', APPROVAL_LINK_REQUIRES_LOGIN: 'true', LOGIN_RATE_LIMIT: '5' },
      () => ({ ok: true, result: 'done' }),
    );
  });
  afterAll(() => h?.close());

  it('asks for the admin’s password; a wrong one decides nothing, three kill the link, the right one decides', async () => {
    const hook = await startWebhookReceiver();
    try {
      await h.addChannel({ name: 'login', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      const ids: number[] = [];
      const latencies: number[] = [];
      for (const path of ['/a', '/b', '/c']) {
        ids.push((await h.requestApproval(path)).id);
        const seen = Date.now();
        await until(() => hook.received.length === ids.length, 3000, 'the delivery, well before the next poll');
        latencies.push(Date.now() - seen);
      }
      console.log(
        `request → webhook delivered (poll 10 s, woken by the change): ${latencies.map((ms) => `${ms} ms`).join(', ')}`,
      );
      const linkOf = (id: number) =>
        pathOf(hook.received.map((r) => r.json as WebhookPayload).find((p) => p.approval!.id === id)!.links[0].url);
      const open = async (path: string) => {
        const page = await h.t.http().get(path).expect(200);
        expect(page.text).toContain('type="password"');
        return {
          csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1],
          cookie: (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0],
        };
      };
      const post = (path: string, f: { csrf: string; cookie: string }, id: number, password: string) =>
        h.t
          .http()
          .post(path)
          .set('cookie', f.cookie)
          .type('form')
          .send({ csrf: f.csrf, approval: String(id), decision: 'approve', password });

      // Three wrong passwords: nothing decided, and the link is dead.
      const first = linkOf(ids[0]);
      const f1 = await open(first);
      for (let i = 0; i < 3; i++) expect((await post(first, f1, ids[0], 'wrong-password')).status).toBe(403);
      expect((await post(first, f1, ids[0], ADMIN_PASSWORD)).status).toBe(410);
      expect(((await h.t.http().get(`/api/approvals/${ids[0]}`).set(h.auth())).body as ApprovalDto).status).toBe(
        'PENDING',
      );

      // The right password decides.
      const second = linkOf(ids[1]);
      const f2 = await open(second);
      expect((await post(second, f2, ids[1], 'wrong-password')).status).toBe(403);
      const ok = await post(second, f2, ids[1], ADMIN_PASSWORD);
      expect(ok.status).toBe(200);

      // Five tries for this admin within the minute (four wrong, audited): the sixth is refused unchecked, even right.
      const failed = (await h.t.http().get('/api/audit?action=approval_link.sign_in_failed').set(h.auth()).expect(200))
        .body.items as AuditEntryDto[];
      expect(failed).toHaveLength(4);
      const third = linkOf(ids[2]);
      const f3 = await open(third);
      const throttled = await post(third, f3, ids[2], ADMIN_PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.text).toContain('data-problem="throttled"');
      expect(((await h.t.http().get(`/api/approvals/${ids[2]}`).set(h.auth())).body as ApprovalDto).status).toBe(
        'PENDING',
      );
      await until(
        async () =>
          ((await h.t.http().get(`/api/approvals/${ids[1]}`).set(h.auth())).body as ApprovalDto).status === 'SUCCEEDED',
        8000,
        'the command',
      );
    } finally {
      await hook.close();
    }
  });
});

describe('out-of-band approvals: "approval links require sign-in" as an admin setting (approvals.linksRequireLogin)', () => {
  let h: NotificationsHub;
  beforeAll(async () => {
    h = await startNotificationsHub();
  });
  afterAll(() => h?.close());

  it('switched on in the settings, every link asks for the password, even one from a channel that does not; off again, it does not', async () => {
    const hook = await startWebhookReceiver();
    try {
      await h.addChannel({
        name: 'private room',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      const setting = (on: boolean) =>
        h.t
          .http()
          .patch('/api/settings')
          .set(h.auth())
          .send({ approvals: { linksRequireLogin: on } })
          .expect(200);
      const field = (await h.t.http().get('/api/settings').set(h.auth()).expect(200)).body.fields.find(
        (f: { key: string }) => f.key === 'approvals.linksRequireLogin',
      );
      expect(field).toMatchObject({ value: false, source: 'default', env: 'APPROVAL_LINK_REQUIRES_LOGIN' });

      const { id } = await h.requestApproval('/setting');
      await until(() => hook.received.length === 1, 8000, 'the message');
      const url = (hook.received[0].json as WebhookPayload).links[0].url;
      expect((await h.openLink(url)).page.text).not.toContain('type="password"');

      await setting(true);
      const asked = await h.openLink(url);
      expect(asked.page.text).toContain('type="password"');
      expect((await h.postLink(url, asked, id)).status).toBe(403);
      expect((await h.approvalOf(id)).status).toBe('PENDING');

      await setting(false);
      const free = await h.openLink(url);
      expect(free.page.text).not.toContain('type="password"');
      expect((await h.postLink(url, free, id, { decision: 'reject' })).status).toBe(200);
    } finally {
      await hook.close();
    }
  });
});
