import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { DataSource, Repository } from 'typeorm';
import type { LogDto, LogLevel, Page } from '@echocenter/contracts';
import { Actor } from '../actors/actor.entity';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest } from '../common/api-error';
import { iso } from '../common/dates';
import { dbTime, likeContains } from '../common/db-time';
import { toPage } from '../common/pagination';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { LogQueryDto } from './dto/log.dto';
import { SystemLog } from './system-log.entity';

export function toLogDto(l: SystemLog): LogDto {
  return { id: l.id, agentId: l.agentId, agentName: l.agentName, level: l.level, content: l.content, createdAt: iso(l.createdAt)! };
}

@Injectable()
export class LogsService {
  /** Every stored log, so the gateway can push `log:new` to humans whichever way it arrived. */
  readonly created$ = new Subject<LogDto>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectRepository(SystemLog) private readonly logs: Repository<SystemLog>,
  ) {}

  async create(reporter: AuthActor, level: LogLevel, content: string): Promise<LogDto> {
    if (content.length > this.config.limits.logChars) {
      throw badRequest(`content is longer than ${this.config.limits.logChars} characters`, [
        { field: 'content', message: `must be at most ${this.config.limits.logChars} characters` },
      ]);
    }
    const isAgent = reporter.kind === 'AGENT';
    const saved = await this.dataSource.transaction(async (em) => {
      const row = await em.save(em.create(SystemLog, { agentId: isAgent ? reporter.id : null, agentName: reporter.name, level, content }));
      if (isAgent) await em.update(Actor, { id: reporter.id }, { lastReport: content.slice(0, 500), lastReportAt: row.createdAt });
      return row;
    });
    const dto = toLogDto(saved);
    this.created$.next(dto);
    return dto;
  }

  async query(q: LogQueryDto): Promise<Page<LogDto>> {
    if (q.before !== undefined && q.after !== undefined) throw badRequest('Use either before or after, not both', [{ field: 'after', message: 'cannot be combined with before' }]);
    const limit = q.limit ?? 50;
    const qb = this.logs.createQueryBuilder('l');
    if (q.agentId !== undefined) qb.andWhere('l.agentId = :agentId', { agentId: q.agentId });
    if (q.level) qb.andWhere('l.level IN (:...levels)', { levels: [...new Set(q.level.split(','))] });
    if (q.q) qb.andWhere("l.content LIKE :q ESCAPE '!'", { q: likeContains(q.q) });
    if (q.since) qb.andWhere('l.createdAt >= :since', { since: dbTime(this.dataSource, new Date(q.since)) });
    if (q.until) qb.andWhere('l.createdAt < :until', { until: dbTime(this.dataSource, new Date(q.until)) });
    if (q.after !== undefined) qb.andWhere('l.id > :after', { after: q.after }).orderBy('l.id', 'ASC');
    else {
      if (q.before !== undefined) qb.andWhere('l.id < :before', { before: q.before });
      qb.orderBy('l.id', 'DESC');
    }
    const rows = await qb.take(limit + 1).getMany();
    return toPage(rows.map(toLogDto), limit);
  }
}
