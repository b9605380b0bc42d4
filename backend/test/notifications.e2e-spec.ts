import { createHmac } from 'node:crypto';
import type {
  ApprovalDto,
  ApprovalRequestedEvent,
  AuditEntryDto,
  ChatMessageDto,
  NotificationAttemptDto,
  NotificationChannelDto,
  NotificationDto,
  WebhookPayload,
} from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { ApprovalTxHooks } from '../src/approvals/approval-tx-hooks';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startSmtpSink, textOf } from './fakes/smtp-sink';
import { startWebhookReceiver } from './fakes/webhook-receiver';
import { ADMIN, createUser, startTestApp, type TestApp } from './support/test-app';

const ADMIN_PASSWORD = ADMIN.password;

const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];
const PUBLIC_URL = 'https://hub.example.test';
const ENV = {
  NOTIFY_POLL_MS: '50',
  NOTIFY_BACKOFF_MS: '50',
  NOTIFY_MAX_ATTEMPTS: '3',
  SWEEP_INTERVAL_MS: '100',
  PUBLIC_URL,
};

const auth = (t: TestApp) => ({ authorization: `Bearer ${t.adminToken}` });

/** The path of a one-time link (messages carry PUBLIC_URL; the test talks to the app directly). */
const pathOf = (url: string) => new URL(url).pathname;

describe('out-of-band approvals: channels, outbox, one-time links', () => {
  let t: TestApp;
  let admin: Probe;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let butler: number;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    admin = await connect(t, t.adminToken);
    agent = await startAgent(t, 'Storage-Custodian', CARD, (run) => ({
      ok: true,
      result: `cleaned (${run.commandId})`,
    }));
    butler = await butlerId(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    agent?.probe.close();
    await t?.close();
  });

  /** One PENDING approval, through the (offline) Butler, as users make them. */
  async function requestApproval(path = '/tmp'): Promise<{ id: number; thread: number }> {
    const thread = await newThread(t, t.adminToken);
    await ask(admin, butler, thread, `ask Storage-Custodian to clean ${path}`);
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread,
    );
    return { id: requested.id, thread };
  }

  async function addChannel(body: Record<string, unknown>) {
    const res = await t.http().post('/api/notifications/channels').set(auth(t)).send(body);
    if (res.status !== 201) throw new Error(`add channel: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { channel: NotificationChannelDto; secret?: string };
  }

  async function removeChannel(id: number) {
    await t.http().delete(`/api/notifications/channels/${id}`).set(auth(t)).expect(204);
  }

  async function deliveries(channelId: number): Promise<NotificationAttemptDto[]> {
    return (await t.http().get(`/api/notifications/channels/${channelId}/deliveries`).set(auth(t)).expect(200)).body
      .items;
  }

  it('signs webhooks (HMAC over timestamp.body, secret shown once and stored sealed), Slack blocks and Feishu cards with its signature', async () => {
    const hook = await startWebhookReceiver();
    const slack = await startWebhookReceiver();
    const feishu = await startWebhookReceiver({ answer: () => ({ status: 200, body: '{"code":0,"msg":"success"}' }) });
    const ds = t.app.get(DataSource);
    try {
      const web = await addChannel({
        name: 'ops hook',
        kind: 'WEBHOOK',
        url: `${hook.url}/hook`,
        events: ['approval.requested', 'approval.decided'],
      });
      expect(web.secret).toMatch(/^whsec_/);
      const sl = await addChannel({
        name: 'slack',
        kind: 'SLACK',
        url: `${slack.url}/services/T000/B000/XXXXSECRETXXXX`,
        events: ['approval.requested'],
      });
      const fs = await addChannel({
        name: 'feishu',
        kind: 'FEISHU',
        url: `${feishu.url}/open-apis/bot/v2/hook/abcd`,
        events: ['approval.requested'],
        secret: 'feishu-bot-secret',
      });
      expect(sl.secret).toBeUndefined();
      expect(fs.channel.hasSecret).toBe(true);

      // Never returned again, and not in the database in clear.
      const listed = (await t.http().get('/api/notifications/channels').set(auth(t)).expect(200))
        .body as NotificationChannelDto[];
      expect(JSON.stringify(listed)).not.toContain(web.secret);
      expect(JSON.stringify(listed)).not.toContain('feishu-bot-secret');
      expect(JSON.stringify(listed)).not.toContain('XXXXSECRETXXXX');
      const rows = await ds.query('SELECT secret FROM notification_channels');
      expect(JSON.stringify(rows)).not.toContain(web.secret);
      expect(JSON.stringify(rows)).not.toContain('feishu-bot-secret');

      const { id } = await requestApproval('/var/log');
      await until(
        () => hook.received.length >= 1 && slack.received.length >= 1 && feishu.received.length >= 1,
        8000,
        'three deliveries',
      );

      const w = hook.received[0];
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
      await t
        .http()
        .put(`/api/notifications/channels/${sl.channel.id}`)
        .set(auth(t))
        .send({ name: 'slack ops', kind: 'SLACK', events: ['approval.requested', 'approval.decided'] })
        .expect(200);

      // The decision is told to the channels that want it, once.
      await t
        .http()
        .post(`/api/approvals/${id}/decision`)
        .set(auth(t))
        .send({ approved: false, reason: 'not now' })
        .expect(200);
      await until(() => hook.received.some((r) => r.json.event === 'approval.decided'), 8000, 'approval.decided');
      await until(() => slack.received.length === 2, 8000, 'the decision on Slack');
      expect(slack.received[1].path).toBe('/services/T000/B000/XXXXSECRETXXXX');
      const decided = hook.received.find((r) => r.json.event === 'approval.decided')!.json as WebhookPayload;
      expect(decided.approval).toMatchObject({ status: 'REJECTED', decidedBy: 'admin', decisionReason: 'not now' });
      expect(decided.links).toEqual([]);
      const log = await deliveries(web.channel.id);
      expect(log.map((a) => [a.event, a.ok, a.statusCode])).toEqual([
        ['approval.decided', true, 200],
        ['approval.requested', true, 200],
      ]);
      for (const c of [web, sl, fs]) await removeChannel(c.channel.id);
    } finally {
      await Promise.all([hook.close(), slack.close(), feishu.close()]);
    }
  });

  it('writes the outbox row in the transaction of the decision: when the transaction fails, neither exists', async () => {
    const hook = await startWebhookReceiver();
    const ds = t.app.get(DataSource);
    try {
      const web = await addChannel({ name: 'tx', kind: 'WEBHOOK', url: hook.url, events: ['approval.decided'] });
      const { id } = await requestApproval('/tx');
      // A listener after the outbox's fails: the whole transaction (decision and outbox row) rolls back.
      const off = t.app.get(ApprovalTxHooks).register(async () => {
        throw new Error('simulated failure after the outbox write');
      });
      const failed = await t.http().post(`/api/approvals/${id}/decision`).set(auth(t)).send({ approved: false });
      off();
      expect(failed.status).toBe(500);
      expect(((await t.http().get(`/api/approvals/${id}`).set(auth(t))).body as ApprovalDto).status).toBe('PENDING');
      const none = await ds.query(
        `SELECT id FROM notifications WHERE approval_id = ${id} AND event = 'approval.decided'`,
      );
      expect(none).toHaveLength(0);

      await t.http().post(`/api/approvals/${id}/decision`).set(auth(t)).send({ approved: false }).expect(200);
      const one = await ds.query(
        `SELECT id FROM notifications WHERE approval_id = ${id} AND event = 'approval.decided'`,
      );
      expect(one).toHaveLength(1);
      await until(() => hook.received.length === 1, 8000, 'the decided message');
      await removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });

  it('retries with backoff (same idempotency key) and succeeds on the third try; a test-send shows in the log', async () => {
    const hook = await startWebhookReceiver({ failFirst: 2 });
    try {
      const web = await addChannel({ name: 'flaky', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      const { id } = await requestApproval('/srv/a');
      await until(() => hook.received.some((r) => r.answered === 200), 8000, 'a successful delivery');
      expect(hook.received.map((r) => r.answered)).toEqual([503, 503, 200]);
      expect(new Set(hook.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(hook.received[0].json.approval.id).toBe(id);
      const log = await deliveries(web.channel.id);
      expect(log.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([
        [3, true, 200],
        [2, false, 503],
        [1, false, 503],
      ]);
      const outbox = (
        await t.http().get(`/api/notifications/outbox?channelId=${web.channel.id}`).set(auth(t)).expect(200)
      ).body.items as NotificationDto[];
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ status: 'SENT', attempts: 3, lastStatusCode: 200 });

      const tested = await t.http().post(`/api/notifications/channels/${web.channel.id}/test`).set(auth(t)).expect(202);
      expect(tested.body[0].event).toBe('test');
      await until(() => hook.received.some((r) => r.json.event === 'test'), 8000, 'the test message');
      expect((await deliveries(web.channel.id))[0]).toMatchObject({ event: 'test', ok: true, statusCode: 200 });
      await removeChannel(web.channel.id);
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
      const web = await addChannel({ name: 'down', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] });
      await requestApproval('/srv/b');
      let dead: NotificationDto[] = [];
      await until(
        async () => {
          dead = (await t.http().get(`/api/notifications/outbox?status=DEAD&channelId=${web.channel.id}`).set(auth(t)))
            .body.items;
          return dead.length === 1;
        },
        8000,
        'a dead letter',
      );
      expect(dead[0]).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500' });
      expect(hook.received).toHaveLength(3);

      healthy = true;
      await t.http().post(`/api/notifications/outbox/${dead[0].id}/retry`).set(auth(t)).expect(200);
      await until(() => hook.received.some((r) => r.answered === 204), 8000, 'the retried delivery');
      const again = await t.http().post(`/api/notifications/outbox/${dead[0].id}/retry`).set(auth(t));
      expect(again.status).toBe(409);
      const audit = (await t.http().get('/api/audit?action=notification.retried').set(auth(t)).expect(200)).body
        .items as AuditEntryDto[];
      expect(audit[0]).toMatchObject({ targetType: 'notification', targetId: dead[0].id, actorName: 'admin' });
      await removeChannel(web.channel.id);
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
      const web = await addChannel({
        name: 'switched off',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
      });
      await requestApproval('/srv/c');
      await until(() => hook.arrivals.length === 1, 8000, 'the first try');
      await t
        .http()
        .put(`/api/notifications/channels/${web.channel.id}`)
        .set(auth(t))
        .send({ name: 'switched off', kind: 'WEBHOOK', enabled: false, events: ['approval.requested'] })
        .expect(200);
      release();
      let dead: NotificationDto[] = [];
      await until(
        async () => {
          dead = (await t.http().get(`/api/notifications/outbox?status=DEAD&channelId=${web.channel.id}`).set(auth(t)))
            .body.items;
          return dead.length === 1;
        },
        8000,
        'the dead letter',
      );
      expect(dead[0]).toMatchObject({ attempts: 2, lastError: 'the channel is disabled' });
      expect(hook.received).toHaveLength(1);
      await removeChannel(web.channel.id);
    } finally {
      release();
      await hook.close();
    }
  });

  it('e-mail → follow the link → GET changes nothing → POST approves (channel LINK) → the command runs → the thread is answered', async () => {
    const smtp = await startSmtpSink({ user: 'hub', pass: 'smtp-pass-1' });
    try {
      const me = (await t.http().get('/api/auth/me').set(auth(t)).expect(200)).body as { id: number };
      const mail = await addChannel({
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
      const { id, thread } = await requestApproval('/home/cache');
      await until(() => smtp.mails.length === 1, 8000, 'the e-mail');
      const m = smtp.mails[0];
      expect(m.user).toBe('hub');
      expect(m.to).toEqual(['admin@example.test']);
      const text = textOf(m.raw);
      expect(text).toContain('clean /home/cache');
      expect(text).toContain('text/html');
      const url = /https:\/\/hub\.example\.test\/a\/eca_[A-Za-z0-9_-]{43}/.exec(text)![0];

      // A link scanner opening it twice: nothing changes.
      const page = await t.http().get(pathOf(url)).set('accept-language', 'en-US,en;q=0.9');
      await t.http().get(pathOf(url)).expect(200);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).not.toContain('<script');
      expect(page.text).toContain('clean /home/cache');
      expect(page.text).toContain('Storage-Custodian');
      const still = (await t.http().get(`/api/approvals/${id}`).set(auth(t)).expect(200)).body as ApprovalDto;
      expect(still.status).toBe('PENDING');

      const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
      const cookie = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const done = await t
        .http()
        .post(pathOf(url))
        .set('cookie', cookie)
        .type('form')
        .send({ csrf, approval: String(id), decision: 'approve', reason: 'ok from my phone' });
      expect(done.status).toBe(200);
      expect(done.text).toContain('data-outcome="approved"');

      // The requester's thread hears the outcome, as after a console decision.
      const update = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (msg) => msg.conversationId === thread && msg.senderId === butler && msg.text.includes(`Approval #${id}:`),
      );
      expect(update.text).toContain('clean /home/cache');
      const after = (await t.http().get(`/api/approvals/${id}`).set(auth(t)).expect(200)).body as ApprovalDto;
      // The output is shown once, in the approval card (the approval's result).
      expect(after.result).toContain('cleaned (');
      expect(after).toMatchObject({
        status: 'SUCCEEDED',
        decisionChannel: 'LINK',
        decidedByName: 'admin',
        decisionReason: 'ok from my phone',
      });
      const audit = (await t.http().get('/api/audit?action=approval.approved').set(auth(t)).expect(200)).body
        .items as AuditEntryDto[];
      expect(audit[0]).toMatchObject({
        targetId: id,
        actorName: 'admin',
        details: expect.objectContaining({ channel: 'link' }),
      });

      // Replayed: the link is spent.
      const replay = await t
        .http()
        .post(pathOf(url))
        .set('cookie', cookie)
        .type('form')
        .send({ csrf, approval: String(id), decision: 'reject' });
      expect(replay.status).toBe(410);
      expect(replay.text).toContain('data-problem="used"');
      await removeChannel(mail.channel.id);
    } finally {
      await smtp.close();
    }
  });

  it('refuses tampered, wrong-approval, CSRF-less and expired links, and shows CONFLICT to the second decider', async () => {
    const bob = await createUser(t, 'bob', 'ADMIN');
    const hook = await startWebhookReceiver();
    try {
      // Without sign-in (on by default for webhooks): what is tested here is the link itself.
      const web = await addChannel({
        name: 'links',
        kind: 'WEBHOOK',
        url: hook.url,
        events: ['approval.requested'],
        linksRequireSignIn: false,
      });
      const first = await requestApproval('/one');
      const second = await requestApproval('/two');
      await until(() => hook.received.length === 2, 8000, 'two deliveries');
      const linksOf = (approvalId: number) =>
        hook.received.map((r) => r.json as WebhookPayload).find((p) => p.approval!.id === approvalId)!.links;
      const [adminLink, bobLink] = linksOf(first.id);
      expect([adminLink.name, bobLink.name]).toEqual(['admin', 'bob']);

      const open = async (url: string) => {
        const page = await t.http().get(pathOf(url));
        const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
        const cookie = ((page.headers['set-cookie'] as unknown as string[] | undefined) ?? [''])[0].split(';')[0];
        return { page, csrf, cookie };
      };

      // Tampered: one character changed.
      const token = pathOf(adminLink.url).slice(3);
      const tampered = `/a/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect((await t.http().get(tampered)).status).toBe(404);
      expect((await t.http().get('/a/not-a-token')).status).toBe(404);

      const a = await open(adminLink.url);
      // A tampered token with the real link's form decides nothing (its CSRF is bound to the real link).
      const tamperedPost = await t
        .http()
        .post(tampered)
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(tamperedPost.status).toBe(403);
      // No cookie, or a form from another link: refused, and the link is still good.
      const noCookie = await t
        .http()
        .post(pathOf(adminLink.url))
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(noCookie.status).toBe(403);
      const other = await open(linksOf(second.id)[0].url);
      const crossed = await t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', other.cookie)
        .type('form')
        .send({ csrf: other.csrf, approval: String(first.id), decision: 'approve' });
      expect(crossed.status).toBe(403);
      const wrongApproval = await t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(second.id), decision: 'approve' });
      expect(wrongApproval.status).toBe(400);
      expect(wrongApproval.text).toContain('data-problem="mismatch"');
      expect(((await t.http().get(`/api/approvals/${first.id}`).set(auth(t))).body as ApprovalDto).status).toBe(
        'PENDING',
      );

      // First decision wins; the second admin gets CONFLICT.
      const b = await open(bobLink.url);
      const rejected = await t
        .http()
        .post(pathOf(bobLink.url))
        .set('cookie', b.cookie)
        .type('form')
        .send({ csrf: b.csrf, approval: String(first.id), decision: 'reject' });
      expect(rejected.status).toBe(200);
      const late = await t
        .http()
        .post(pathOf(adminLink.url))
        .set('cookie', a.cookie)
        .type('form')
        .send({ csrf: a.csrf, approval: String(first.id), decision: 'approve' });
      expect(late.status).toBe(409);
      expect(late.text).toContain('CONFLICT');
      const firstNow = (await t.http().get(`/api/approvals/${first.id}`).set(auth(t))).body as ApprovalDto;
      expect(firstNow).toMatchObject({ status: 'REJECTED', decidedBy: bob.user.id, decisionChannel: 'LINK' });
      expect(agent.runs.filter((r) => r.command === 'clean' && r.args === '/one')).toHaveLength(0);

      // A demoted admin's link decides nothing: the role is read again.
      await t.http().patch(`/api/users/${bob.user.id}`).set(auth(t)).send({ role: 'MEMBER' }).expect(200);
      const bobSecond = linksOf(second.id)[1];
      const c = await open(bobSecond.url);
      const demoted = await t
        .http()
        .post(pathOf(bobSecond.url))
        .set('cookie', c.cookie)
        .type('form')
        .send({ csrf: c.csrf, approval: String(second.id), decision: 'approve' });
      expect(demoted.status).toBe(403);
      expect(((await t.http().get(`/api/approvals/${second.id}`).set(auth(t))).body as ApprovalDto).status).toBe(
        'PENDING',
      );
      await removeChannel(web.channel.id);
    } finally {
      await hook.close();
    }
  });
});

describe('out-of-band approvals: expiry and two nodes', () => {
  let t: TestApp;
  let node2: TestApp | null = null;

  beforeAll(async () => {
    t = await startTestApp({ ...ENV, APPROVAL_TTL: '2s', APPROVAL_WARN_BEFORE: '1s' });
  });
  afterAll(async () => {
    await node2?.close({ dropDatabase: false });
    await t?.close();
  });

  it('tells approval.expiring and approval.decided once; a link of an expired approval is refused', async () => {
    const hook = await startWebhookReceiver();
    const admin = await connect(t, t.adminToken);
    const agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'unused' }));
    try {
      await t
        .http()
        .post('/api/notifications/channels')
        .set(auth(t))
        .send({
          name: 'all',
          kind: 'WEBHOOK',
          url: hook.url,
          events: ['approval.requested', 'approval.expiring', 'approval.decided'],
        })
        .expect(201);
      const thread = await newThread(t, t.adminToken);
      await ask(admin, await butlerId(t, t.adminToken), thread, 'ask Storage-Custodian to clean /expiring');
      // Its page opened while it was pending; the form is posted after the approval expired.
      await until(() => hook.received.length >= 1, 8000, 'approval.requested');
      const early = await t
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
      const page = await t.http().get(pathOf(link));
      expect(page.status).toBe(410);
      expect(page.text).toContain('data-problem="expired"');
      const late = await t
        .http()
        .post(pathOf(link))
        .set('cookie', (early.headers['set-cookie'] as unknown as string[])[0].split(';')[0])
        .type('form')
        .send({
          csrf: /name="csrf" value="([^"]+)"/.exec(early.text)![1],
          approval: String((hook.received[0].json as WebhookPayload).approval!.id),
          decision: 'approve',
          password: ADMIN_PASSWORD,
        });
      expect(late.status).toBe(410);
      expect(late.text).toContain('data-problem="expired"');
    } finally {
      admin.close();
      agent.probe.close();
      await hook.close();
    }
  });

  it('two nodes polling one outbox deliver each notification exactly once', async () => {
    node2 = await t.restart();
    const hook = await startWebhookReceiver();
    try {
      const res = await t
        .http()
        .post('/api/notifications/channels')
        .set(auth(t))
        .send({ name: 'twin', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] })
        .expect(201);
      const channelId = res.body.channel.id as number;
      // Twenty test messages queued at once: both nodes race for every row.
      for (let i = 0; i < 10; i++) {
        await t.http().post(`/api/notifications/channels/${channelId}/test`).set(auth(t)).expect(202);
        await node2.http().post(`/api/notifications/channels/${channelId}/test`).set(auth(t)).expect(202);
      }
      await until(() => hook.received.length >= 20, 10000, 'twenty deliveries');
      await new Promise((r) => setTimeout(r, 500));
      const keys = hook.received.map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
      const log = (await t.http().get(`/api/notifications/channels/${channelId}/deliveries?limit=100`).set(auth(t)))
        .body.items as NotificationAttemptDto[];
      expect(log).toHaveLength(20);
      const nodes = await t.app.get(DataSource).query('SELECT DISTINCT node_id FROM notification_attempts');
      expect(nodes.length).toBeGreaterThanOrEqual(1);
    } finally {
      await hook.close();
    }
  });
});

describe('out-of-band approvals: links that require signing in (APPROVAL_LINK_REQUIRES_LOGIN)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A slow poll: what is delivered quickly here was sent because the change itself woke the sender.
    // LOGIN_RATE_LIMIT 5: the link page's password tries count like logins, per admin.
    t = await startTestApp({
      ...ENV,
      NOTIFY_POLL_MS: '10000',
      APPROVAL_LINK_REQUIRES_LOGIN: 'true',
      LOGIN_RATE_LIMIT: '5',
    });
  });
  afterAll(() => t?.close());

  it('asks for the admin’s password; a wrong one decides nothing, three kill the link, the right one decides', async () => {
    const hook = await startWebhookReceiver();
    const admin = await connect(t, t.adminToken);
    const agent = await startAgent(t, 'Storage-Custodian', CARD, () => ({ ok: true, result: 'done' }));
    try {
      await t
        .http()
        .post('/api/notifications/channels')
        .set(auth(t))
        .send({ name: 'login', kind: 'WEBHOOK', url: hook.url, events: ['approval.requested'] })
        .expect(201);
      const butler = await butlerId(t, t.adminToken);
      const ids: number[] = [];
      const latencies: number[] = [];
      for (const path of ['/a', '/b', '/c']) {
        const thread = await newThread(t, t.adminToken);
        await ask(admin, butler, thread, `ask Storage-Custodian to clean ${path}`);
        ids.push(
          (await admin.waitFor<ApprovalRequestedEvent>('approval:requested', (a) => a.conversationId === thread)).id,
        );
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
        const page = await t.http().get(path).expect(200);
        expect(page.text).toContain('type="password"');
        return {
          csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1],
          cookie: (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0],
        };
      };
      const post = (path: string, f: { csrf: string; cookie: string }, id: number, password: string) =>
        t
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
      expect(((await t.http().get(`/api/approvals/${ids[0]}`).set(auth(t))).body as ApprovalDto).status).toBe(
        'PENDING',
      );

      // The right password decides.
      const second = linkOf(ids[1]);
      const f2 = await open(second);
      expect((await post(second, f2, ids[1], 'wrong-password')).status).toBe(403);
      const ok = await post(second, f2, ids[1], ADMIN_PASSWORD);
      expect(ok.status).toBe(200);

      // Five tries for this admin within the minute (four wrong, audited): the sixth is refused unchecked, even right.
      const failed = (await t.http().get('/api/audit?action=approval_link.sign_in_failed').set(auth(t)).expect(200))
        .body.items as AuditEntryDto[];
      expect(failed).toHaveLength(4);
      const third = linkOf(ids[2]);
      const f3 = await open(third);
      const throttled = await post(third, f3, ids[2], ADMIN_PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.text).toContain('data-problem="throttled"');
      expect(((await t.http().get(`/api/approvals/${ids[2]}`).set(auth(t))).body as ApprovalDto).status).toBe(
        'PENDING',
      );
      await until(
        async () =>
          ((await t.http().get(`/api/approvals/${ids[1]}`).set(auth(t))).body as ApprovalDto).status === 'SUCCEEDED',
        8000,
        'the command',
      );
    } finally {
      admin.close();
      agent.probe.close();
      await hook.close();
    }
  });
});
