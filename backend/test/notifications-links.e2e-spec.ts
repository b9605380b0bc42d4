import type { ApprovalDto, AuditEntryDto, ChatMessageDto, WebhookPayload } from '@echocenter/contracts';
import { ApprovalTxHooks } from '../src/approvals/approval-tx-hooks';
import { until } from './fakes/butler-kit';
import { startSmtpSink, textOf } from './fakes/smtp-sink';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { createUser } from './support/test-app';
import { pathOf, startNotificationsHub, type NotificationsHub } from './support/notifications-kit';

describe('out-of-band approvals: one-time links', () => {
  let h: NotificationsHub;
  beforeAll(async () => {
    h = await startNotificationsHub();
  });
  afterAll(() => h?.close());

  it('e-mail → follow the link → GET changes nothing → POST approves (channel LINK) → the command runs → the thread is answered', async () => {
    const smtp = await startSmtpSink({ user: 'hub', pass: 'smtp-pass-1' });
    try {
      const me = (await h.t.http().get('/api/auth/me').set(h.auth()).expect(200)).body as { id: number };
      const mail = await h.addChannel({
        name: 'mail',
        kind: 'EMAIL',
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          username: 'hub',
          from: 'EchoCenter <hub@example.test>',
          // The sink offers no STARTTLS: a local relay, explicitly allowed.
          allowPlaintext: true,
        },
        secret: 'smtp-pass-1',
        events: ['approval.requested'],
        recipients: [{ actorId: me.id, address: 'admin@example.test' }],
      });
      const { id, thread } = await h.requestApproval('/home/cache');
      await until(() => smtp.mails.length === 1, 8000, 'the e-mail');
      const m = smtp.mails[0];
      expect(m.user).toBe('hub');
      expect(m.to).toEqual(['admin@example.test']);
      const text = textOf(m.raw);
      expect(text).toContain('clean /home/cache');
      expect(text).toContain('text/html');
      const url = /https:\/\/hub\.example\.test\/a\/eca_[A-Za-z0-9_-]{43}/.exec(text)![0];

      // A link scanner opening it twice: nothing changes.
      const page = await h.t.http().get(pathOf(url)).set('accept-language', 'en-US,en;q=0.9');
      await h.t.http().get(pathOf(url)).expect(200);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).not.toContain('<script');
      expect(page.text).toContain('clean /home/cache');
      expect(page.text).toContain('Storage-Custodian');
      const still = (await h.t.http().get(`/api/approvals/${id}`).set(h.auth()).expect(200)).body as ApprovalDto;
      expect(still.status).toBe('PENDING');

      const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
      const cookie = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const done = await h.t
        .http()
        .post(pathOf(url))
        .set('cookie', cookie)
        .type('form')
        .send({ csrf, approval: String(id), decision: 'approve', reason: 'ok from my phone' });
      expect(done.status).toBe(200);
      expect(done.text).toContain('data-outcome="approved"');

      // The requester's thread hears the outcome, as after a console decision.
      const update = await h.admin.waitFor<ChatMessageDto>(
        'chat:message',
        (msg) => msg.conversationId === thread && msg.senderId === h.butler && msg.text.includes(`Approval #${id}:`),
      );
      expect(update.text).toContain('clean /home/cache');
      const after = (await h.t.http().get(`/api/approvals/${id}`).set(h.auth()).expect(200)).body as ApprovalDto;
      // The output is shown once, in the approval card (the approval's result).
      expect(after.result).toContain('cleaned (');
      expect(after).toMatchObject({
        status: 'SUCCEEDED',
        decisionChannel: 'LINK',
        decidedByName: 'admin',
        decisionReason: 'ok from my phone',
      });
      const audit = (await h.t.http().get('/api/audit?action=approval.approved').set(h.auth()).expect(200)).body
        .items as AuditEntryDto[];
      expect(audit[0]).toMatchObject({
        targetId: id,
        actorName: 'admin',
        details: expect.objectContaining({ channel: 'link' }),
      });

      // Replayed: the link is spent.
      const replay = await h.t
        .http()
        .post(pathOf(url))
        .set('cookie', cookie)
        .type('form')
        .send({ csrf, approval: String(id), decision: 'reject' });
      expect(replay.status).toBe(410);
      expect(replay.text).toContain('data-problem="used"');
      await h.removeChannel(mail.channel.id);
    } finally {
      await smtp.close();
    }
  });

  it('refuses tampered, wrong-approval, CSRF-less and expired links, and shows CONFLICT to the second decider', async () => {
    const bob = await createUser(h.t, 'bob', 'ADMIN');
    const hook = await startWebhookReceiver();
    try {
      // Without sign-in (on by default for webhooks): what is tested here is the link itself.
      const web = await h.addChannel({
        name: 'links',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      const first = await h.requestApproval('/one');
      const second = await h.requestApproval('/two');
      await until(() => hook.received.length === 2, 8000, 'two deliveries');
      const linksOf = (approvalId: number) =>
        hook.received.map((r) => r.json as WebhookPayload).find((p) => p.approval!.id === approvalId)!.links;
      const [adminLink, bobLink] = linksOf(first.id);
      expect([adminLink.name, bobLink.name]).toEqual(['admin', 'bob']);

      const open = h.openLink;

      // Tampered: one character changed.
      const token = pathOf(adminLink.url).slice(3);
      const tampered = `/a/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect((await h.t.http().get(tampered)).status).toBe(404);
      expect((await h.t.http().get('/a/not-a-token')).status).toBe(404);

      const a = await open(adminLink.url);
      // A tampered token with the real link's form decides nothing (its CSRF is bound to the real link).
      const tamperedPost = await h.t
        .http()
        .post(tampered)
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(tamperedPost.status).toBe(403);
      // No cookie, or a form from another link: refused, and the link is still good.
      const noCookie = await h.t
        .http()
        .post(pathOf(adminLink.url))
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(noCookie.status).toBe(403);
      const other = await open(linksOf(second.id)[0].url);
      const crossed = await h.t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', other.cookie)
        .type('form')
        .send({ csrf: other.csrf, approval: String(first.id), decision: 'approve' });
      expect(crossed.status).toBe(403);
      const wrongApproval = await h.t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(second.id), decision: 'approve' });
      expect(wrongApproval.status).toBe(400);
      expect(wrongApproval.text).toContain('data-problem="mismatch"');
      expect(((await h.t.http().get(`/api/approvals/${first.id}`).set(h.auth())).body as ApprovalDto).status).toBe(
        'PENDING',
      );

      // First decision wins; the second admin gets CONFLICT.
      const b = await open(bobLink.url);
      const rejected = await h.t
        .http()
        .post(pathOf(bobLink.url))
        .set('cookie', b.cookie)
        .type('form')
        .send({ csrf: b.csrf, approval: String(first.id), decision: 'reject' });
      expect(rejected.status).toBe(200);
      const late = await h.t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(late.status).toBe(409);
      expect(late.text).toContain('CONFLICT');
      const firstNow = (await h.t.http().get(`/api/approvals/${first.id}`).set(h.auth())).body as ApprovalDto;
      expect(firstNow).toMatchObject({ status: 'REJECTED', decidedBy: bob.user.id, decisionChannel: 'LINK' });
      expect(h.agent.runs.filter((r) => r.command === 'clean' && r.args === '/one')).toHaveLength(0);

      // A demoted admin's link decides nothing: the role is read again.
      await h.t.http().patch(`/api/users/${bob.user.id}`).set(h.auth()).send({ role: 'MEMBER' }).expect(200);
      const bobSecond = linksOf(second.id)[1];
      const c = await open(bobSecond.url);
      const demoted = await h.t
        .http()
        .post(pathOf(bobSecond.url))
        .set('cookie', c.cookie)
        .type('form')
        .send({ csrf: c.csrf, approval: String(second.id), decision: 'approve' });
      expect(demoted.status).toBe(403);
      expect(((await h.t.http().get(`/api/approvals/${second.id}`).set(h.auth())).body as ApprovalDto).status).toBe(
        'PENDING',
      );
      await h.removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });

  it('a decision that fails for a passing reason (its transaction rolls back) leaves the link usable', async () => {
    const hook = await startWebhookReceiver();
    try {
      const web = await h.addChannel({
        name: 'flaky decisions',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      const { id } = await h.requestApproval('/transient');
      await until(() => hook.received.length === 1, 8000, 'the message');
      const url = (hook.received[0].json as WebhookPayload).links[0].url;
      const form = await h.openLink(url);
      const off = h.t.app.get(ApprovalTxHooks).register(async () => {
        throw new Error('simulated database failure');
      });
      const failed = await h.postLink(url, form, id);
      off();
      expect(failed.status).toBe(503);
      expect(failed.text).toContain('data-problem="failed"');
      expect((await h.approvalOf(id)).status).toBe('PENDING');

      const again = await h.postLink(url, form, id, { decision: 'reject' });
      expect(again.status).toBe(200);
      expect(await h.approvalOf(id)).toMatchObject({ status: 'REJECTED', decisionChannel: 'LINK' });
      expect((await h.postLink(url, form, id)).status).toBe(410);
      await h.removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });
});
