import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import type {
  NotificationAttemptDto,
  NotificationChannelDto,
  NotificationChannelSaved,
  NotificationDto,
  NotificationStatus,
  Page,
} from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { badRequest, conflict, notFound } from '../common/api-error';
import { toPage } from '../common/pagination';
import { transaction } from '../database/transaction';
import { SettingsService } from '../settings/settings.service';
import { secretNeededAgain, sameText } from './channel-destination';
import { openChannelSecret, sealChannelSecret } from './channel-secrets';
import type { NotificationChannelRequestDto } from './dto/channel.dto';
import { NotificationAttempt } from './notification-attempt.entity';
import { NotificationChannel } from './notification-channel.entity';
import { NotificationOutbox } from './notification-outbox';
import { NotificationSender } from './notification-sender.service';
import { toAttemptDto, toChannelDto, toNotificationDto } from './notification.mapper';
import { Notification } from './notification.entity';

const field = (name: string, message: string) => badRequest(`${name}: ${message}`, [{ field: name, message }]);

/** Admin management of channels, their delivery log and dead letters; every change is audited. */
@Injectable()
export class NotificationChannels {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly outbox: NotificationOutbox,
    private readonly sender: NotificationSender,
    private readonly actors: ActorsService,
    @InjectRepository(NotificationChannel) private readonly channels: Repository<NotificationChannel>,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(NotificationAttempt) private readonly attempts: Repository<NotificationAttempt>,
  ) {}

  async list(): Promise<NotificationChannelDto[]> {
    return (await this.channels.find({ order: { id: 'ASC' } })).map(toChannelDto);
  }

  async create(admin: AuditActor, body: NotificationChannelRequestDto): Promise<NotificationChannelSaved> {
    await this.validate(body, null);
    const generated = body.kind === 'WEBHOOK' ? newWebhookSecret() : undefined;
    const saved = await transaction(this.dataSource, async (em) => {
      const { identifiers } = await em.insert(NotificationChannel, this.fields(body, null));
      const id = identifiers[0].id as number;
      // Sealed once the id exists: the ciphertext is bound to it.
      const plain = generated ?? (body.kind !== 'WEBHOOK' ? body.secret : undefined);
      if (plain)
        await em.update(NotificationChannel, { id }, { secret: sealChannelSecret(this.settings.crypto, id, plain) });
      return (await em.findOneBy(NotificationChannel, { id }))!;
    });
    await this.audit.record(admin, {
      action: 'channel.created',
      targetType: 'channel',
      targetId: saved.id,
      targetName: saved.name,
      details: { kind: saved.kind, events: saved.events },
    });
    return generated ? { channel: toChannelDto(saved), secret: generated } : { channel: toChannelDto(saved) };
  }

  async update(admin: AuditActor, id: number, body: NotificationChannelRequestDto): Promise<NotificationChannelSaved> {
    const current = await this.channels.findOneBy({ id });
    if (!current) throw notFound('Channel');
    if (current.kind !== body.kind) throw field('kind', 'cannot change; create another channel');
    await this.validate(body, current);
    const again = secretNeededAgain(current, body, () => openChannelSecret(this.settings.crypto, current));
    if (again) throw field('secret', again);
    const generated = body.kind === 'WEBHOOK' && body.rotateSecret ? newWebhookSecret() : undefined;
    const changes: Partial<NotificationChannel> = this.fields(body, current);
    if (generated) changes.secret = sealChannelSecret(this.settings.crypto, id, generated);
    else if (body.kind !== 'WEBHOOK' && body.secret !== undefined)
      changes.secret = body.secret === null ? null : sealChannelSecret(this.settings.crypto, id, body.secret);
    await this.channels.update({ id }, changes);
    const saved = (await this.channels.findOneBy({ id }))!;
    await this.audit.record(admin, {
      action: 'channel.updated',
      targetType: 'channel',
      targetId: id,
      targetName: saved.name,
      details: { enabled: saved.enabled, events: saved.events, secretChanged: changes.secret !== undefined },
    });
    return generated ? { channel: toChannelDto(saved), secret: generated } : { channel: toChannelDto(saved) };
  }

  async remove(admin: AuditActor, id: number): Promise<void> {
    const current = await this.channels.findOneBy({ id });
    if (!current) throw notFound('Channel');
    await this.channels.delete({ id });
    // Owed messages go with it; the delivery log stays for the record.
    await this.notifications.delete({ channelId: id, status: In(['PENDING', 'DEAD']) });
    await this.audit.record(admin, {
      action: 'channel.deleted',
      targetType: 'channel',
      targetId: id,
      targetName: current.name,
    });
  }

  /** Queues a test message (one per recipient for e-mail); the delivery log shows how it went. */
  async test(admin: AuditActor, id: number): Promise<NotificationDto[]> {
    const channel = await this.channels.findOneBy({ id });
    if (!channel) throw notFound('Channel');
    const rows = await transaction(this.dataSource, (em) => this.outbox.enqueueTest(em, channel));
    this.sender.soon();
    await this.audit.record(admin, {
      action: 'channel.tested',
      targetType: 'channel',
      targetId: id,
      targetName: channel.name,
    });
    return rows.map(toNotificationDto);
  }

  async deliveries(id: number, q: { before?: number; limit?: number }): Promise<Page<NotificationAttemptDto>> {
    const limit = q.limit ?? 50;
    const qb = this.attempts
      .createQueryBuilder('a')
      .where('a.channelId = :id', { id })
      .orderBy('a.id', 'DESC')
      .take(limit + 1);
    if (q.before !== undefined) qb.andWhere('a.id < :before', { before: q.before });
    return toPage((await qb.getMany()).map(toAttemptDto), limit);
  }

  async outboxPage(q: {
    status?: NotificationStatus;
    channelId?: number;
    before?: number;
    limit?: number;
  }): Promise<Page<NotificationDto>> {
    const limit = q.limit ?? 50;
    const qb = this.notifications
      .createQueryBuilder('n')
      .orderBy('n.id', 'DESC')
      .take(limit + 1);
    if (q.status) qb.andWhere('n.status = :status', { status: q.status });
    if (q.channelId !== undefined) qb.andWhere('n.channelId = :channelId', { channelId: q.channelId });
    if (q.before !== undefined) qb.andWhere('n.id < :before', { before: q.before });
    return toPage((await qb.getMany()).map(toNotificationDto), limit);
  }

  /** A dead letter gets a fresh set of tries. */
  async retry(admin: AuditActor, id: number): Promise<NotificationDto> {
    const res = await this.notifications
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), lastError: null })
      .where('id = :id AND status = :dead', { id, dead: 'DEAD' })
      .execute();
    const row = await this.notifications.findOneBy({ id });
    if (!row) throw notFound('Notification');
    if (!res.affected) throw conflict(`Notification #${id} is ${row.status}, not a dead letter`);
    this.sender.soon();
    await this.audit.record(admin, {
      action: 'notification.retried',
      targetType: 'notification',
      targetId: id,
      details: { channelId: row.channelId, event: row.event },
    });
    return toNotificationDto(row);
  }

  private fields(
    body: NotificationChannelRequestDto,
    current: NotificationChannel | null,
  ): Partial<NotificationChannel> {
    const email = body.kind === 'EMAIL';
    // Absent on update: keep (URLs are only ever shown masked).
    const url = email ? null : (body.url ?? current?.url ?? null);
    // Shared rooms by default: one message there carries a link for every admin it addresses.
    const linksRequireSignIn = body.linksRequireSignIn ?? current?.linksRequireSignIn ?? !email;
    return {
      name: body.name.trim(),
      kind: body.kind,
      enabled: body.enabled ?? current?.enabled ?? true,
      url,
      smtp: email ? (body.smtp ?? current?.smtp ?? null) : null,
      events: body.events,
      recipients: body.recipients === undefined ? (current?.recipients ?? null) : body.recipients,
      linksRequireSignIn,
    };
  }

  private async validate(body: NotificationChannelRequestDto, current: NotificationChannel | null): Promise<void> {
    if (body.kind === 'EMAIL') {
      if (!body.smtp && !current?.smtp) throw field('smtp', 'required for EMAIL channels');
      const recipients = body.recipients === undefined ? current?.recipients : body.recipients;
      if (!recipients?.length) throw field('recipients', 'EMAIL channels name each recipient with an address');
      if (recipients.some((r) => !r.address)) throw field('recipients', 'every EMAIL recipient needs an address');
    } else if (!body.url && !current?.url) throw field('url', `required for ${body.kind} channels`);
    // A WEBHOOK secret is only ever sent back as proof (moving the URL without rotating); never stored from a body.
    if (
      body.kind === 'WEBHOOK' &&
      body.secret &&
      !(current && sameText(body.secret, openChannelSecret(this.settings.crypto, current)))
    )
      throw field('secret', 'WEBHOOK secrets are generated by the hub (rotateSecret)');
    const ids = (body.recipients ?? []).map((r) => r.actorId);
    // One admin once: e-mail owes each admin one message per event (the outbox's idempotency key says so).
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length) throw field('recipients', `each admin at most once: ${[...new Set(twice)].join(', ')} twice`);
    if (ids.length) {
      const admins = await this.actors.adminsAmong(ids);
      const missing = ids.filter((i) => !admins.some((a) => a.id === i));
      if (missing.length) throw field('recipients', `not admins: ${missing.join(', ')}`);
    }
  }
}

function newWebhookSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64url');
}
