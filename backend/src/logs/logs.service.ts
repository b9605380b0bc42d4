import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { LogDto, LogLevel, Page } from '@echocenter/contracts';
import { ActorsService, type ReportWriter } from '../actors/actors.service';
import { isUniqueViolation } from '../database/db-errors';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest } from '../common/api-error';
import { iso } from '../common/dates';
import { dbTime, likeContains } from '../common/db-time';
import { toPage } from '../common/pagination';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import {
  outsideTransactions,
  sqliteHandle,
  sqliteTime,
  type SqliteHandle,
  type SqliteStatement,
} from '../database/sqlite-handle';
import { DomainEventBus } from '../events/domain-event-bus';
import type { LogQueryDto } from './dto/log.dto';
import { SystemLog } from './system-log.entity';

type NewLog = Pick<SystemLog, 'agentId' | 'agentName' | 'level' | 'content' | 'reportKey' | 'createdAt'>;

export function toLogDto(l: SystemLog): LogDto {
  return {
    id: l.id,
    agentId: l.agentId,
    agentName: l.agentName,
    level: l.level,
    content: l.content,
    createdAt: iso(l.createdAt)!,
  };
}

@Injectable()
export class LogsService {
  private readonly sqlite: SqliteHandle | null;
  private statements: { insert: SqliteStatement; report: ReportWriter } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectRepository(SystemLog) private readonly logs: Repository<SystemLog>,
    private readonly events: DomainEventBus,
    private readonly actors: ActorsService,
  ) {
    this.sqlite = sqliteHandle(dataSource);
  }

  /** Stores a log; a repeated `localId` of the same reporter returns the stored one and stores nothing. */
  async create(reporter: AuthActor, level: LogLevel, content: string, localId?: string): Promise<LogDto> {
    if (content.length > this.config.limits.logChars) {
      throw badRequest(`content is longer than ${this.config.limits.logChars} characters`, [
        { field: 'content', message: `must be at most ${this.config.limits.logChars} characters` },
      ]);
    }
    const row: NewLog = {
      agentId: reporter.kind === 'AGENT' ? reporter.id : null,
      agentName: reporter.name,
      level,
      content,
      reportKey: localId === undefined ? null : `${reporter.id}:${localId}`,
      createdAt: new Date(),
    };
    let saved: SystemLog;
    try {
      saved = this.sqlite ? await this.insertSqlite(this.sqlite, row) : await this.insertTypeOrm(row);
    } catch (err) {
      const stored =
        row.reportKey && isUniqueViolation(err) ? await this.logs.findOneBy({ reportKey: row.reportKey }) : null;
      if (!stored) throw err;
      // Resent after a lost ack. Pushed again below: the node that stored it may have died before pushing it.
      saved = stored;
    }
    const dto = toLogDto(saved);
    // Every stored log, so the gateway can push `log:new` to humans whichever way it arrived.
    this.events.emit('logs.created', dto);
    return dto;
  }

  /**
   * One synchronous step on SQLite's one connection: two TypeORM transactions there cannot overlap (the
   * second fails with "cannot start a transaction within a transaction"), and agents report concurrently.
   */
  private async insertSqlite(db: SqliteHandle, r: NewLog): Promise<SystemLog> {
    await outsideTransactions(db);
    this.statements ??= {
      insert: db.prepare(
        'INSERT INTO system_logs (agent_id, agent_name, level, content, report_key, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // The agent's row is the actors feature's: its statement, prepared once like ours.
      report: this.actors.reportWriter(db),
    };
    const { insert, report } = this.statements;
    const at = sqliteTime(r.createdAt);
    const id = db.transaction(() => {
      const inserted = insert.run(r.agentId, r.agentName, r.level, r.content, r.reportKey, at);
      if (r.agentId !== null) report(r.agentId, r.content, at);
      return Number(inserted.lastInsertRowid);
    })();
    return Object.assign(new SystemLog(), r, { id });
  }

  private insertTypeOrm(r: NewLog): Promise<SystemLog> {
    return this.dataSource.transaction(async (em) => {
      const row = await em.save(em.create(SystemLog, r));
      if (r.agentId !== null) await this.actors.recordReport(em, r.agentId, r.content, row.createdAt);
      return row;
    });
  }

  async query(q: LogQueryDto): Promise<Page<LogDto>> {
    if (q.before !== undefined && q.after !== undefined)
      throw badRequest('Use either before or after, not both', [
        { field: 'after', message: 'cannot be combined with before' },
      ]);
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
