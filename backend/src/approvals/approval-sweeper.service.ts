import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { dbTime } from '../common/db-time';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DeadlineSweeper } from '../database/deadline-sweeper';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalNotifier } from './approval-notifier';
import { ApprovalTransitions } from './approval-transitions';
import { Approval } from './approval.entity';
import { SettingsService } from '../settings/settings.service';

// An APPROVED approval whose deciding node died before claiming it is picked up after this long.
const RECOVER_AFTER_MS = 5000;
const BATCH = 100;

/**
 * Time-driven approval work, read from the database on every node: warnings, expiry and picking up
 * approved-but-never-started commands. Conditional updates make each step happen once cluster-wide.
 */
@Injectable()
export class ApprovalSweeper extends DeadlineSweeper {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly dispatcher: ApprovalDispatcher,
    private readonly notifier: ApprovalNotifier,
    private readonly transitions: ApprovalTransitions,
  ) {
    super('ApprovalSweeper', config.approvals.sweepIntervalMs);
  }

  protected async sweep(): Promise<void> {
    await this.warn();
    await this.expire();
    await this.recover();
  }

  private time(offsetMs = 0) {
    return dbTime(this.dataSource, new Date(Date.now() + offsetMs));
  }

  private async warn(): Promise<void> {
    const due = await this.approvals
      .createQueryBuilder('a')
      .where('a.status = :s AND a.warned = :f AND a.expiresAt <= :soon', {
        s: 'PENDING',
        f: false,
        soon: this.time(this.settings.approvals().warnBeforeMs),
      })
      .take(BATCH)
      .getMany();
    for (const a of due) {
      if (await this.transitions.warn(a.id)) this.notifier.expiring(a);
    }
  }

  private async expire(): Promise<void> {
    const due = await this.approvals
      .createQueryBuilder('a')
      .where('a.status = :s AND a.expiresAt <= :now', { s: 'PENDING', now: this.time() })
      .take(BATCH)
      .getMany();
    for (const a of due) await this.transitions.expire(a.id);
  }

  private async recover(): Promise<void> {
    const stuck = await this.approvals
      .createQueryBuilder('a')
      .select(['a.id'])
      .where('a.status = :s AND a.decidedAt <= :before', { s: 'APPROVED', before: this.time(-RECOVER_AFTER_MS) })
      .take(BATCH)
      .getMany();
    for (const { id } of stuck) await this.dispatcher.start(id);
  }
}
