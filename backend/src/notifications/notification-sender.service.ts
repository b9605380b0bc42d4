import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { ChannelKind } from '@echocenter/contracts';
import type { Subscription } from 'rxjs';
import { ActorsService } from '../actors/actors.service';
import { ApprovalsService } from '../approvals/approvals.service';
import { dbTime } from '../common/db-time';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { PresenceService } from '../gateway/presence.service';
import { SettingsService } from '../settings/settings.service';
import { ApprovalLink } from './approval-link.entity';
import { ApprovalLinks } from './approval-links.service';
import { openChannelSecret } from './channel-secrets';
import { NotificationAttempt } from './notification-attempt.entity';
import { NotificationChannel } from './notification-channel.entity';
import type { MessageLink } from './notification-message';
import { actorName, recipientsOf } from './notification-recipients';
import { Notification } from './notification.entity';
import { sendEmail } from './transports/email.transport';
import { sendFeishu } from './transports/feishu.transport';
import { sendSlack } from './transports/slack.transport';
import type { DeliveryResult, Transport } from './transports/transport';
import { sendWebhook } from './transports/webhook.transport';

const TRANSPORTS: Record<ChannelKind, Transport> = {
  WEBHOOK: sendWebhook,
  SLACK: sendSlack,
  FEISHU: sendFeishu,
  EMAIL: sendEmail,
};
const BATCH = 20;
const PRUNE_EVERY_MS = 10 * 60_000;
/** Sent messages and the delivery log are kept this long; dead letters until an admin deals with them. */
const KEEP_MS = 30 * 86_400_000;
/** Links are kept a day past their approval's expiry (a late click still gets a clear "expired" page). */
const KEEP_LINKS_MS = 86_400_000;
const MAX_BACKOFF_MS = 3600_000;

/** Delay before try n+1: the base doubled per failed try, capped at an hour. */
export function backoffMs(base: number, attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the outbox at least once. Every node polls; a row is claimed by one conditional update
 * (status and attempt count as read), so two nodes never send the same try. A claim lapses after a
 * generous timeout: a node that died mid-send leaves the row to the others.
 */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private prunedAt = 0;
  private kick: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly presence: PresenceService,
    private readonly approvals: ApprovalsService,
    private readonly events: DomainEventBus,
    private readonly links: ApprovalLinks,
    private readonly actors: ActorsService,
    @InjectRepository(Notification) private readonly outbox: Repository<Notification>,
    @InjectRepository(NotificationChannel) private readonly channels: Repository<NotificationChannel>,
    @InjectRepository(NotificationAttempt) private readonly attempts: Repository<NotificationAttempt>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.notifications.pollMs);
    this.timer.unref();
    if (this.config.production && !this.config.envSet.has('PUBLIC_URL')) {
      this.logger.warn(
        `PUBLIC_URL is not set: one-time approval links will point at ${this.config.notifications.publicUrl}`,
      );
    }
    // A change on this node has just committed its rows: look now rather than at the next poll.
    this.subscription = this.events.on('approvals.changed', 'notifications.sender', () => this.soon());
  }

  /** A pass shortly, coalescing a burst of changes into one. */
  soon(): void {
    if (this.kick || !this.timer) return;
    this.kick = setTimeout(() => {
      this.kick = null;
      void this.tick();
    }, 10);
    this.kick.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.kick) clearTimeout(this.kick);
    this.subscription?.unsubscribe();
    this.timer = null;
    this.kick = null;
    await this.running;
  }

  /** One pass over what is due; overlapping ticks are skipped. */
  async tick(): Promise<void> {
    if (this.running || !this.timer) return;
    this.running = this.pass()
      .catch((err: Error) => this.logger.warn(`notification pass failed: ${err.message}`))
      .finally(() => (this.running = null));
    await this.running;
  }

  private now(offsetMs = 0) {
    return dbTime(this.dataSource, new Date(Date.now() + offsetMs));
  }

  private async pass(): Promise<void> {
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.prune();
    }
    const due = await this.outbox
      .createQueryBuilder('n')
      .where('(n.status = :pending AND n.nextAttemptAt <= :now) OR (n.status = :sending AND n.claimedUntil < :now)', {
        pending: 'PENDING',
        sending: 'SENDING',
        now: this.now(),
      })
      .orderBy('n.id', 'ASC')
      .take(BATCH)
      .getMany();
    for (const row of due) {
      if (!this.timer) return;
      if (await this.claim(row)) await this.deliver(row);
    }
  }

  /** Every node may prune; the deletes are idempotent. */
  private async prune(): Promise<void> {
    const before = this.now(-KEEP_MS);
    await this.outbox
      .createQueryBuilder()
      .delete()
      .from(Notification)
      .where('status = :sent AND sent_at < :before', { sent: 'SENT', before })
      .execute();
    await this.attempts
      .createQueryBuilder()
      .delete()
      .from(NotificationAttempt)
      .where('created_at < :before', { before })
      .execute();
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(ApprovalLink)
      .where('expires_at < :before', { before: this.now(-KEEP_LINKS_MS) })
      .execute();
  }

  private async claim(row: Notification): Promise<boolean> {
    const lease = this.config.notifications.claimMs;
    const res = await this.outbox
      .createQueryBuilder()
      .update(Notification)
      .set({
        status: 'SENDING',
        claimedBy: this.presence.nodeId,
        claimedUntil: new Date(Date.now() + lease),
        attempts: row.attempts + 1,
      })
      .where('id = :id AND status = :status AND attempts = :attempts', {
        id: row.id,
        status: row.status,
        attempts: row.attempts,
      })
      .execute();
    if (!res.affected) return false;
    row.attempts += 1;
    return true;
  }

  private async deliver(row: Notification): Promise<void> {
    const started = Date.now();
    let result: DeliveryResult;
    try {
      result = await this.attempt(row);
    } catch (err) {
      result = { ok: false, statusCode: null, error: (err as Error).message.slice(0, 200) };
    }
    await this.attempts.insert({
      notificationId: row.id,
      channelId: row.channelId,
      event: row.event,
      attempt: row.attempts,
      ok: result.ok,
      statusCode: result.statusCode,
      error: result.error?.slice(0, 500) ?? null,
      durationMs: Date.now() - started,
      nodeId: this.presence.nodeId,
    });
    const dead = !result.ok && (result.final === true || row.attempts >= this.config.notifications.maxAttempts);
    const next = result.ok
      ? {}
      : { nextAttemptAt: new Date(Date.now() + backoffMs(this.config.notifications.backoffMs, row.attempts)) };
    // Only while this node still holds the claim: a lapsed one belongs to whoever took it over.
    await this.outbox
      .createQueryBuilder()
      .update(Notification)
      .set({
        status: result.ok ? 'SENT' : dead ? 'DEAD' : 'PENDING',
        sentAt: result.ok ? new Date() : null,
        lastStatusCode: result.statusCode,
        lastError: result.error?.slice(0, 500) ?? null,
        claimedBy: null,
        claimedUntil: null,
        ...next,
      })
      .where('id = :id AND claimed_by = :node AND attempts = :attempts', {
        id: row.id,
        node: this.presence.nodeId,
        attempts: row.attempts,
      })
      .execute();
    if (dead)
      this.logger.warn(
        `notification #${row.id} (${row.event}, channel #${row.channelId}) is a dead letter after ${row.attempts} tries: ${result.error}`,
      );
  }

  private async attempt(row: Notification): Promise<DeliveryResult> {
    const channel = await this.channels.findOneBy({ id: row.channelId });
    if (!channel) return { ok: false, statusCode: null, error: 'the channel was deleted', final: true };
    // A channel switched off stops what it still owed too (an admin may retry the dead letters later).
    if (!channel.enabled && row.event !== 'test')
      return { ok: false, statusCode: null, error: 'the channel is disabled', final: true };
    const approval = row.approvalId !== null ? await this.approvals.find(row.approvalId) : null;
    if (row.approvalId !== null && !approval)
      return { ok: false, statusCode: null, error: 'the approval is gone', final: true };
    // An e-mail row names its admin: one demoted or disabled since it was queued is told nothing, link or not.
    if (row.recipientId !== null && !(await this.actors.activeAdminIds()).has(row.recipientId))
      return { ok: false, statusCode: null, error: 'the recipient is no longer an active admin', final: true };
    const secret = openChannelSecret(this.settings.crypto, channel);
    // Links only while a decision is still possible, one per admin addressed.
    const links: MessageLink[] = [];
    if (approval?.status === 'PENDING' && approval.expiresAt.getTime() > Date.now()) {
      for (const r of await recipientsOf(this.actors, channel, row))
        links.push({ ...r, url: await this.links.issue(approval, r.actorId, row.id, channel.linksRequireSignIn) });
    }
    const message = {
      event: row.event,
      idempotencyKey: row.idempotencyKey,
      approval,
      requesterName: approval ? await actorName(this.actors, approval.requestedBy) : '',
      links,
      now: new Date(),
    };
    return TRANSPORTS[channel.kind]({
      channel,
      secret,
      message,
      to: row.recipientAddress,
      timeoutMs: this.config.notifications.timeoutMs,
    });
  }
}
