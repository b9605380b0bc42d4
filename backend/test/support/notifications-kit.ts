import type {
  ApprovalDto,
  ApprovalRequestedEvent,
  NotificationAttemptDto,
  NotificationChannelDto,
} from '@echocenter/contracts';
import type { Response } from 'supertest';
import { NotificationSender } from '../../src/notifications/notification-sender.service';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from '../fakes/butler-kit';
import { startTestApp, type TestApp } from './test-app';

/**
 * What the out-of-band approval suites (backend/test/notifications-*.e2e-spec.ts) share: a hub with fast
 * notification timings, a fake Storage-Custodian, and the admin's calls on channels, approvals and link pages.
 */
export const CARD = [
  { name: 'get_status', readOnly: true },
  { name: 'clean', args: '<path>' },
];
export const PUBLIC_URL = 'https://hub.example.test';
export const NOTIFY_ENV = {
  NOTIFY_POLL_MS: '50',
  NOTIFY_BACKOFF_MS: '50',
  NOTIFY_MAX_ATTEMPTS: '3',
  SWEEP_INTERVAL_MS: '100',
  PUBLIC_URL,
};

/** The path of a one-time link (messages carry PUBLIC_URL; the tests talk to the app directly). */
export const pathOf = (url: string) => new URL(url).pathname;

/** What a link page hands its form: the CSRF field and the cookie scoped to the link. */
export interface LinkForm {
  page: Response;
  csrf: string;
  cookie: string;
}

export function linkFormOf(page: Response): LinkForm {
  return {
    page,
    csrf: /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '',
    cookie: ((page.headers['set-cookie'] as unknown as string[] | undefined) ?? [''])[0].split(';')[0],
  };
}

const asleep = new Set<TestApp>();

/** A node's sender asleep: no polls and no wake-ups (a try in flight goes on, as in a process that froze). */
export function pauseSender(node: TestApp): void {
  if (asleep.has(node)) return;
  asleep.add(node);
  void node.app.get(NotificationSender).onModuleDestroy();
}

/** Wakes a sender paused by pauseSender (an awake one is left alone: it would poll twice). */
export function resumeSender(node: TestApp): void {
  if (asleep.delete(node)) node.app.get(NotificationSender).onApplicationBootstrap();
}

type AgentAnswer = Parameters<typeof startAgent>[3];

export interface NotificationsHub {
  t: TestApp;
  admin: Probe;
  agent: Awaited<ReturnType<typeof startAgent>>;
  butler: number;
  auth(): { authorization: string };
  /** One PENDING approval, through the (offline) Butler, as users make them. */
  requestApproval(path?: string): Promise<{ id: number; thread: number }>;
  approvalOf(id: number): Promise<ApprovalDto>;
  addChannel(body: Record<string, unknown>): Promise<{ channel: NotificationChannelDto; secret?: string }>;
  removeChannel(id: number): Promise<void>;
  deliveries(channelId: number): Promise<NotificationAttemptDto[]>;
  /** Opens a link page (GET) and reads its form. */
  openLink(url: string): Promise<LinkForm>;
  /** Posts a link page's form. */
  postLink(url: string, f: LinkForm, approvalId: number, fields?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** A hub (NOTIFY_ENV plus `env`), the admin's socket and a Storage-Custodian answering with `answer`. */
export async function startNotificationsHub(
  env: Record<string, string> = {},
  answer: AgentAnswer = (run) => ({ ok: true, result: `cleaned (${run.commandId})` }),
): Promise<NotificationsHub> {
  const t = await startTestApp({ ...NOTIFY_ENV, ...env });
  const admin = await connect(t, t.adminToken);
  const agent = await startAgent(t, 'Storage-Custodian', CARD, answer);
  const butler = await butlerId(t, t.adminToken);
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  return {
    t,
    admin,
    agent,
    butler,
    auth,
    async requestApproval(path = '/tmp') {
      const thread = await newThread(t, t.adminToken);
      await ask(admin, butler, thread, `ask Storage-Custodian to clean ${path}`);
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.conversationId === thread,
      );
      return { id: requested.id, thread };
    },
    async approvalOf(id) {
      return (await t.http().get(`/api/approvals/${id}`).set(auth()).expect(200)).body as ApprovalDto;
    },
    async addChannel(body) {
      const res = await t.http().post('/api/notifications/channels').set(auth()).send(body);
      if (res.status !== 201) throw new Error(`add channel: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { channel: NotificationChannelDto; secret?: string };
    },
    async removeChannel(id) {
      await t.http().delete(`/api/notifications/channels/${id}`).set(auth()).expect(204);
    },
    async deliveries(channelId) {
      return (await t.http().get(`/api/notifications/channels/${channelId}/deliveries`).set(auth()).expect(200)).body
        .items;
    },
    async openLink(url) {
      return linkFormOf(await t.http().get(pathOf(url)));
    },
    postLink(url, f, approvalId, fields = {}) {
      return t
        .http()
        .post(pathOf(url))
        .set('cookie', f.cookie)
        .type('form')
        .send({ csrf: f.csrf, approval: String(approvalId), decision: 'approve', ...fields })
        .then((r) => r);
    },
    async close() {
      admin.close();
      agent.probe.close();
      await t.close();
    },
  };
}
