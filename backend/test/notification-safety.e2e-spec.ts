import type {
  ApiError,
  ApprovalDto,
  ApprovalRequestedEvent,
  AuditEntryDto,
  NotificationAttemptDto,
  NotificationChannelDto,
  WebhookPayload,
} from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startSmtpSink } from './fakes/smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver';
import { ADMIN, createUser, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 22's audit gaps: what a channel's configuration may never do (stop approvals from opening, move a stored
 * secret to a new destination, send mail in the clear), links from shared rooms that ask who is deciding,
 * command.failed, and the link's POST under tampering and a race.
 */
const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];
const PUBLIC_URL = 'https://hub.example.test';
const pathOf = (url: string) => new URL(url).pathname;

describe('notification channels: rules that keep approvals and secrets safe', () => {
  let t: TestApp;
  let admin: Probe;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let butler: number;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await startTestApp({ NOTIFY_POLL_MS: '50', NOTIFY_BACKOFF_MS: '50', NOTIFY_MAX_ATTEMPTS: '2', PUBLIC_URL });
    admin = await connect(t, t.adminToken);
    // A clean of a path with "fails" in it fails on the agent; any other succeeds.
    agent = await startAgent(t, 'Storage-Custodian', CARD, (run) =>
      (run.args ?? '').includes('fails') ? { ok: false, error: 'disk busy' } : { ok: true, result: 'cleaned' },
    );
    butler = await butlerId(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  async function requestApproval(path: string): Promise<number> {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, `ask Storage-Custodian to clean ${path}`);
    return (await admin.waitFor<ApprovalRequestedEvent>('approval:requested', (a) => a.conversationId === thread)).id;
  }
  const approvalOf = async (id: number) =>
    (await t.http().get(`/api/approvals/${id}`).set(auth()).expect(200)).body as ApprovalDto;
  async function addChannel(body: Record<string, unknown>) {
    const res = await t.http().post('/api/notifications/channels').set(auth()).send(body);
    if (res.status !== 201) throw new Error(`add channel: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { channel: NotificationChannelDto; secret?: string };
  }
  const update = (id: number, body: Record<string, unknown>) =>
    t.http().put(`/api/notifications/channels/${id}`).set(auth()).send(body);
  const removeChannel = (id: number) => t.http().delete(`/api/notifications/channels/${id}`).set(auth()).expect(204);
  const fieldsOf = (body: unknown) => ((body as ApiError).details ?? []).map((d) => d.field);

  it('refuses an admin named twice, and an e-mail channel stored with one anyway still lets approvals open', async () => {
    const smtp = await startSmtpSink({ user: 'hub', pass: 'smtp-pass' });
    try {
      const me = (await t.http().get('/api/auth/me').set(auth()).expect(200)).body as { id: number };
      const smtpSettings = {
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        username: 'hub',
        from: 'hub@example.test',
        allowPlaintext: true,
      };
      const twice = [
        { actorId: me.id, address: 'admin@example.test' },
        { actorId: me.id, address: 'admin@elsewhere.test' },
      ];
      const refused = await t
        .http()
        .post('/api/notifications/channels')
        .set(auth())
        .send({
          name: 'mail',
          kind: 'EMAIL',
          smtp: smtpSettings,
          secret: 'smtp-pass',
          events: ['approval.requested'],
          recipients: twice,
        });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual(['recipients']);
      // Only admins receive links.
      const member = await createUser(t, 'carol', 'MEMBER');
      const notAdmin = await t
        .http()
        .post('/api/notifications/channels')
        .set(auth())
        .send({
          name: 'mail',
          kind: 'EMAIL',
          smtp: smtpSettings,
          secret: 'smtp-pass',
          events: ['approval.requested'],
          recipients: [{ actorId: member.user.id, address: 'carol@example.test' }],
        });
      expect(notAdmin.status).toBe(400);
      expect(fieldsOf(notAdmin.body)).toEqual(['recipients']);

      // A channel saved before the rule (or edited in the database) must not stop approvals from opening.
      const mail = await addChannel({
        name: 'mail',
        kind: 'EMAIL',
        smtp: smtpSettings,
        secret: 'smtp-pass',
        events: ['approval.requested'],
        recipients: [twice[0]],
      });
      await t.app
        .get(DataSource)
        .query('UPDATE notification_channels SET recipients = ? WHERE id = ?', [
          JSON.stringify(twice),
          mail.channel.id,
        ]);
      const id = await requestApproval('/dup');
      expect((await approvalOf(id)).status).toBe('PENDING');
      await until(() => smtp.mails.length === 1, 8000, 'one e-mail');
      expect(smtp.mails[0].to).toEqual(['admin@example.test']);
      await t.http().post(`/api/notifications/channels/${mail.channel.id}/test`).set(auth()).expect(202);
      await until(() => smtp.mails.length === 2, 8000, 'the test e-mail');
      await removeChannel(mail.channel.id);
    } finally {
      await smtp.close();
    }
  });

  it('requires TLS for SMTP unless the channel allows plain text (a local relay)', async () => {
    // The sink offers no STARTTLS, as a network attacker stripping it would make it look.
    const smtp = await startSmtpSink({ user: 'hub', pass: 'smtp-pass' });
    try {
      const me = (await t.http().get('/api/auth/me').set(auth()).expect(200)).body as { id: number };
      const body = (allowPlaintext?: boolean) => ({
        name: 'mail',
        kind: 'EMAIL',
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          username: 'hub',
          from: 'hub@example.test',
          allowPlaintext,
        },
        secret: 'smtp-pass',
        events: ['approval.requested'],
        recipients: [{ actorId: me.id, address: 'admin@example.test' }],
      });
      const strict = await addChannel(body());
      await t.http().post(`/api/notifications/channels/${strict.channel.id}/test`).set(auth()).expect(202);
      let log: NotificationAttemptDto[] = [];
      await until(
        async () => {
          log = (await t.http().get(`/api/notifications/channels/${strict.channel.id}/deliveries`).set(auth())).body
            .items;
          return log.length > 0;
        },
        8000,
        'a failed try',
      );
      // Refused at STARTTLS (the sink answers 500 to it): nothing was sent, the password neither.
      expect(log[0].ok).toBe(false);
      expect(smtp.mails).toHaveLength(0);
      expect(smtp.logins).toHaveLength(0);
      await removeChannel(strict.channel.id);

      const relay = await addChannel(body(true));
      await t.http().post(`/api/notifications/channels/${relay.channel.id}/test`).set(auth()).expect(202);
      await until(() => smtp.mails.length === 1, 8000, 'the e-mail over the local relay');
      expect(smtp.logins).toEqual(['hub']);
      await removeChannel(relay.channel.id);
    } finally {
      await smtp.close();
    }
  });

  it('moving a channel to another destination asks for its secret again (SMTP, Feishu, webhook); Slack URLs are their own secret', async () => {
    const me = (await t.http().get('/api/auth/me').set(auth()).expect(200)).body as { id: number };
    const smtp = { host: 'smtp.example.test', port: 587, secure: false, username: 'hub', from: 'hub@example.test' };
    const mailBody = {
      name: 'mail',
      kind: 'EMAIL',
      events: ['approval.requested'],
      recipients: [{ actorId: me.id, address: 'a@example.test' }],
    };
    const mail = await addChannel({ ...mailBody, smtp, secret: 'smtp-pass' });
    // Saved as it was (the console sends the SMTP block on every save): no secret needed.
    await update(mail.channel.id, { ...mailBody, name: 'mail 2', smtp }).expect(200);
    for (const moved of [
      { host: 'evil.example.test' },
      { port: 25 },
      { username: 'other' },
      { allowPlaintext: true },
    ]) {
      const res = await update(mail.channel.id, { ...mailBody, smtp: { ...smtp, ...moved } });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['secret']);
    }
    await update(mail.channel.id, {
      ...mailBody,
      smtp: { ...smtp, host: 'smtp2.example.test' },
      secret: 'new-pass',
    }).expect(200);

    const feishuBody = { name: 'feishu', kind: 'FEISHU', events: ['approval.requested'] };
    const feishu = await addChannel({ ...feishuBody, url: 'https://open.feishu.test/hook/a', secret: 'bot-secret' });
    await update(feishu.channel.id, { ...feishuBody, name: 'feishu 2' }).expect(200);
    const movedFeishu = await update(feishu.channel.id, { ...feishuBody, url: 'https://evil.example.test/hook/b' });
    expect(movedFeishu.status).toBe(400);
    expect(fieldsOf(movedFeishu.body)).toEqual(['secret']);
    await update(feishu.channel.id, {
      ...feishuBody,
      url: 'https://open.feishu.test/hook/b',
      secret: 'bot-secret-2',
    }).expect(200);

    const hookBody = { name: 'hook', kind: 'WEBHOOK', events: ['approval.requested'] };
    const hook = await addChannel({ ...hookBody, url: 'https://receiver.example.test/a' });
    const movedHook = await update(hook.channel.id, { ...hookBody, url: 'https://evil.example.test/a' });
    expect(movedHook.status).toBe(400);
    expect(fieldsOf(movedHook.body)).toEqual(['secret']);
    const wrongProof = await update(hook.channel.id, {
      ...hookBody,
      url: 'https://evil.example.test/a',
      secret: 'whsec_guess',
    });
    expect(wrongProof.status).toBe(400);
    // The current secret proves it (and is kept); or a new one is made.
    const proved = await update(hook.channel.id, {
      ...hookBody,
      url: 'https://receiver.example.test/b',
      secret: hook.secret,
    });
    expect(proved.status).toBe(200);
    expect(proved.body.secret).toBeUndefined();
    const rotated = await update(hook.channel.id, {
      ...hookBody,
      url: 'https://receiver.example.test/c',
      rotateSecret: true,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);

    const slackBody = { name: 'slack', kind: 'SLACK', events: ['approval.requested'] };
    const slack = await addChannel({ ...slackBody, url: 'https://hooks.slack.test/services/T/B/one' });
    await update(slack.channel.id, { ...slackBody, url: 'https://hooks.slack.test/services/T/B/two' }).expect(200);
    for (const c of [mail, feishu, hook, slack]) await removeChannel(c.channel.id);
  });

  it('tells command.failed with the result when an approved command fails, and nobody when one succeeds', async () => {
    const hook = await startWebhookReceiver();
    try {
      const web = await addChannel({ name: 'failures', kind: 'WEBHOOK', url: hook.url, events: ['command.failed'] });
      const fine = await requestApproval('/fine');
      await t.http().post(`/api/approvals/${fine}/decision`).set(auth()).send({ approved: true }).expect(200);
      await until(async () => (await approvalOf(fine)).status === 'SUCCEEDED', 8000, 'the command to succeed');
      const failing = await requestApproval('/fails');
      await t.http().post(`/api/approvals/${failing}/decision`).set(auth()).send({ approved: true }).expect(200);
      await until(() => hook.received.length === 1, 8000, 'command.failed');
      const payload = hook.received[0].json as WebhookPayload;
      expect(payload.event).toBe('command.failed');
      expect(payload.approval).toMatchObject({
        id: failing,
        status: 'FAILED',
        result: expect.stringContaining('disk busy'),
      });
      expect(payload.links).toEqual([]);
      const owed = await t.app
        .get(DataSource)
        .query(`SELECT id FROM notifications WHERE approval_id = ${fine} AND channel_id = ${web.channel.id}`);
      expect(owed).toHaveLength(0);
      await removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });

  describe('links from shared channels', () => {
    let hook: WebhookReceiver;
    let bob: Awaited<ReturnType<typeof createUser>>;
    beforeAll(async () => {
      hook = await startWebhookReceiver();
      bob = await createUser(t, 'bob', 'ADMIN', 'bob-pass-123');
    });
    afterAll(() => hook?.close());

    const linksOf = (id: number) =>
      hook.received.map((r) => r.json as WebhookPayload).find((p) => p.approval?.id === id)!.links;
    const open = async (url: string) => {
      const page = await t.http().get(pathOf(url)).expect(200);
      return {
        text: page.text,
        csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1],
        cookie: (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0],
      };
    };
    const post = (url: string, f: { csrf: string; cookie: string }, id: number, extra: Record<string, string> = {}) =>
      t
        .http()
        .post(pathOf(url))
        .set('cookie', f.cookie)
        .type('form')
        .send({ csrf: f.csrf, approval: String(id), decision: 'approve', ...extra });

    it('ask the admin to sign in by default (audited when wrong); a channel naming one admin carries only that link', async () => {
      const room = await addChannel({ name: 'room', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      expect(room.channel.linksRequireSignIn).toBe(true);
      const id = await requestApproval('/room');
      await until(() => hook.received.length === 1, 8000, 'the room message');
      const [adminLink, bobLink] = linksOf(id);
      expect([adminLink.name, bobLink.name]).toEqual(['admin', 'bob']);

      // Someone in the room using admin's button: without admin's password nothing is decided.
      const f = await open(adminLink.url);
      expect(f.text).toContain('type="password"');
      expect((await post(adminLink.url, f, id)).status).toBe(403);
      expect((await post(adminLink.url, f, id, { password: 'bob-pass-123' })).status).toBe(403);
      expect((await approvalOf(id)).status).toBe('PENDING');
      const audit = (await t.http().get('/api/audit?action=approval_link.sign_in_failed').set(auth()).expect(200)).body
        .items as AuditEntryDto[];
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ targetType: 'approval', targetId: id, actorId: null });
      expect(audit[0].details).toMatchObject({ adminId: adminLink.actorId });
      expect(JSON.stringify(audit)).not.toContain('bob-pass-123');

      const ok = await post(adminLink.url, f, id, { password: ADMIN.password });
      expect(ok.status).toBe(200);
      await until(async () => (await approvalOf(id)).decisionChannel === 'LINK', 8000, 'the decision');

      // Only bob's link in a channel that names bob.
      await update(room.channel.id, {
        name: 'room',
        kind: 'WEBHOOK',
        events: ['approval.requested'],
        recipients: [{ actorId: bob.user.id }],
      }).expect(200);
      const second = await requestApproval('/bob-only');
      await until(() => hook.received.length === 2, 8000, "bob's message");
      expect(linksOf(second).map((l) => [l.actorId, l.name])).toEqual([[bob.user.id, 'bob']]);
      await t.http().post(`/api/approvals/${second}/decision`).set(auth()).send({ approved: false }).expect(200);
      await removeChannel(room.channel.id);
    });

    it('a tampered token decides nothing; two simultaneous POSTs of one link make exactly one decision', async () => {
      const room = await addChannel({
        name: 'private room',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      expect(room.channel.linksRequireSignIn).toBe(false);
      const before = hook.received.length;
      const id = await requestApproval('/race');
      await until(() => hook.received.length === before + 1, 8000, 'the message');
      const [adminLink] = linksOf(id);
      const f = await open(adminLink.url);
      expect(f.text).not.toContain('type="password"');

      const token = pathOf(adminLink.url).slice(3);
      const tampered = `${PUBLIC_URL}/a/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect([403, 404]).toContain((await post(tampered, f, id)).status);
      expect((await approvalOf(id)).status).toBe('PENDING');

      const answers = await Promise.all([post(adminLink.url, f, id), post(adminLink.url, f, id)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 410]);
      await until(async () => (await approvalOf(id)).status === 'SUCCEEDED', 8000, 'the command');
      const decided = (await t.http().get('/api/audit?action=approval.approved').set(auth()).expect(200)).body
        .items as AuditEntryDto[];
      expect(decided.filter((e) => e.targetId === id)).toHaveLength(1);
      expect(agent.runs.filter((r) => r.command === 'clean' && r.args === '/race')).toHaveLength(1);
      await removeChannel(room.channel.id);
    });
  });
});
