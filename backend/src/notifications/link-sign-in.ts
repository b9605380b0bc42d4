import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import * as bcrypt from 'bcrypt';
import { Repository } from 'typeorm';
import { ActorsService } from '../actors/actors.service';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SettingsService } from '../settings/settings.service';
import type { ApprovalLink } from './approval-link.entity';
import { ApprovalLinks } from './approval-links.service';
import { NotificationChannel } from './notification-channel.entity';
import { Notification } from './notification.entity';

export type SignInOutcome = 'ok' | 'wrong' | 'throttled';

/**
 * The admin proving who they are on a link's page, for links that require signing in: their console password,
 * checked like a login. Tries count against the login's limits (per admin and per client address, shared by every
 * node through Redis when it is set), so a reader of a shared room cannot guess on without end by opening link
 * after link; every wrong password is audited.
 */
@Injectable()
export class LinkSignIn {
  private readonly logger = new Logger('ApprovalLinks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorsService,
    private readonly links: ApprovalLinks,
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    @InjectThrottlerStorage() private readonly throttle: ThrottlerStorage,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(NotificationChannel) private readonly channels: Repository<NotificationChannel>,
  ) {}

  /**
   * Whether this link asks for the password: the hub says so for all links, its channel said so when it was sent,
   * or its channel says so now (switched on after links went out to a room, those are covered too).
   */
  async required(link: ApprovalLink): Promise<boolean> {
    if (this.settings.linksRequireLogin() || link.requiresSignIn) return true;
    if (link.notificationId === null) return false;
    const row = await this.notifications.findOneBy({ id: link.notificationId });
    const channel = row ? await this.channels.findOneBy({ id: row.channelId }) : null;
    return channel?.linksRequireSignIn ?? false;
  }

  async check(link: ApprovalLink, password: string, ip: string): Promise<SignInOutcome> {
    const { ttlMs, userLimit, ipLimit } = this.config.loginThrottle;
    const [byAdmin, byAddress] = await Promise.all([
      this.throttle.increment(`admin:${link.actorId}`, ttlMs, userLimit, ttlMs, 'link-sign-in-admin'),
      this.throttle.increment(`ip:${ip}`, ttlMs, ipLimit, ttlMs, 'link-sign-in-ip'),
    ]);
    if (byAdmin.isBlocked || byAddress.isBlocked) {
      this.logger.warn(`approval link #${link.id}: too many sign-in tries (admin #${link.actorId}); refused unchecked`);
      return 'throttled';
    }
    if (await this.passwordMatches(link.actorId, password)) return 'ok';
    await this.links.failedLogin(link);
    // Whoever holds the link is unknown: the entry names the admin whose password was tried, and from where.
    await this.audit.record(
      { id: null, name: 'approval link' },
      {
        action: 'approval_link.sign_in_failed',
        targetType: 'approval',
        targetId: link.approvalId,
        details: { linkId: link.id, adminId: link.actorId, ip },
      },
    );
    return 'wrong';
  }

  /** The admin's console password (bcrypt), as the login checks it. */
  private async passwordMatches(actorId: number, password: string): Promise<boolean> {
    const hash = await this.actors.passwordHashOf(actorId);
    if (!hash || !password) return false;
    return bcrypt.compare(password, hash);
  }
}
