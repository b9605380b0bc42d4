import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { ChatMessage } from '../chat-message.entity';
import {
  InsertCounter,
  insertSql,
  rowValues,
  type ChatStore,
  type InsertStats,
  type NewChatMessage,
} from './chat-store';

interface InsertResult {
  insertId: number;
}

const isDuplicate = (err: unknown) => {
  const e = err as { code?: string; driverError?: { code?: string } };
  return (e.driverError?.code ?? e.code) === 'ER_DUP_ENTRY';
};

/**
 * MySQL/MariaDB through TypeORM's pool: one multi-row INSERT per batch, one round trip and one commit.
 * It returns only the first id; the others follow by @@auto_increment_increment only while InnoDB
 * allocates them as one block, which it does for plain multi-row inserts unless innodb_autoinc_lock_mode
 * = 2 (MySQL 8's default): there every batch goes row by row inside one transaction — slower, still one
 * commit. A duplicate localId fails the whole statement; that rare batch is redone row by row.
 */
export class MysqlChatStore implements ChatStore {
  private mode: { consecutive: boolean; step: number } | null = null;
  private readonly counter = new InsertCounter();
  private readonly logger = new Logger('ChatStore');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: Repository<ChatMessage>,
  ) {}

  async insertMany(rows: NewChatMessage[]): Promise<(number | 'duplicate')[]> {
    const { consecutive, step } = await this.allocationMode();
    if (consecutive) {
      try {
        const res = (await this.dataSource.query(
          insertSql(rows.length),
          rows.flatMap((m) => rowValues(m, m.createdAt)),
        )) as InsertResult;
        this.counter.count('multi-row', rows.length);
        return rows.map((_, i) => Number(res.insertId) + i * step);
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    const ids = await this.dataSource.transaction((em) => this.rowByRow(em, rows));
    this.counter.count('row-by-row', rows.length);
    return ids;
  }

  stats(): InsertStats {
    return this.counter.stats(this.mode ? (this.mode.consecutive ? 'multi-row' : 'row-by-row') : null);
  }

  findByLocalId(senderId: number, localId: string): Promise<ChatMessage | null> {
    return this.repo.findOneBy({ senderId, localId });
  }

  /** InnoDB rolls back only the failed statement, so the transaction goes on past a duplicate. */
  private async rowByRow(em: EntityManager, rows: NewChatMessage[]): Promise<(number | 'duplicate')[]> {
    const ids: (number | 'duplicate')[] = [];
    for (const m of rows) {
      try {
        ids.push(Number(((await em.query(insertSql(1), rowValues(m, m.createdAt))) as InsertResult).insertId));
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        ids.push('duplicate');
      }
    }
    return ids;
  }

  private async allocationMode(): Promise<{ consecutive: boolean; step: number }> {
    if (this.mode) return this.mode;
    const [row] = (await this.dataSource.query(
      'SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step',
    )) as {
      lockMode: number | string;
      step: number | string;
    }[];
    this.mode = { consecutive: Number(row.lockMode) !== 2, step: Number(row.step) || 1 };
    if (!this.mode.consecutive)
      this.logger.warn(
        'innodb_autoinc_lock_mode=2: chat batches use one INSERT per row (set it to 1 for multi-row inserts)',
      );
    return this.mode;
  }
}
