import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DataSource, In } from 'typeorm';
import { dbTime } from '../common/db-time';
import { DomainEventBus } from '../events/domain-event-bus';
import { SystemLog } from '../logs/system-log.entity';
import { SettingsService } from './settings.service';

const DAY_MS = 86_400_000;
/** Small enough that one DELETE never holds the table (or SQLite's single writer) for long. */
const BATCH = 1000;

/**
 * Deletes system logs older than `logs.retentionDays` (0 keeps everything): once at start, every 24 h, and
 * right after the setting changes. Every node runs it; deleting rows another node already deleted is a
 * no-op, so no leader election is needed.
 */
@Injectable()
export class LogRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private queue: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private readonly logger = new Logger('LogRetention');

  constructor(
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
    private readonly events: DomainEventBus,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: a large first purge must not delay the start.
    void this.purge();
    this.timer = setInterval(() => void this.purge(), DAY_MS);
    this.timer.unref();
    this.subscription = this.events.on('settings.changed', 'settings.logRetention', ({ keys }) => {
      if (keys.includes('logs.retentionDays')) void this.purge();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
    // Let the batch in flight finish before TypeORM closes the connection under it.
    await this.queue;
  }

  /** Runs after any purge in progress (so a shorter retention set meanwhile is honoured); resolves to rows deleted. */
  purge(): Promise<number> {
    this.queue = this.queue.then(() =>
      this.purgeOnce().catch((err: unknown) => {
        if (!this.stopped) this.logger.warn(`log purge failed: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      }),
    );
    return this.queue;
  }

  private async purgeOnce(): Promise<number> {
    const days = this.settings.current().logs.retentionDays;
    if (days <= 0 || this.stopped) return 0;
    const cutoff = dbTime(this.dataSource, new Date(Date.now() - days * DAY_MS));
    const repo = this.dataSource.getRepository(SystemLog);
    let total = 0;
    while (!this.stopped) {
      // Ids first, then delete by id: portable (SQLite has no DELETE … LIMIT) and uses the created_at index.
      const rows = await repo
        .createQueryBuilder('l')
        .select('l.id', 'id')
        .where('l.createdAt < :cutoff', { cutoff })
        .orderBy('l.id', 'ASC')
        .limit(BATCH)
        .getRawMany<{ id: number }>();
      if (!rows.length) break;
      await repo.delete({ id: In(rows.map((r) => Number(r.id))) });
      total += rows.length;
      if (rows.length < BATCH) break;
      // Let requests through between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total) this.logger.log(`deleted ${total} system logs older than ${days} days`);
    return total;
  }
}
