import type { Logger as TypeOrmLogger } from 'typeorm';
import { isDatabaseUnavailable } from '../lifecycle/unavailable';
import type { HubMetrics } from './hub-metrics';

const LOCK = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_LOCKED']);
const DUPLICATE = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** unavailable (retry later), lock (deadlock, lock wait), duplicate (a unique key; often expected), other. */
export function dbErrorKind(err: unknown): string {
  if (isDatabaseUnavailable(err)) return 'unavailable';
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.code ?? e?.driverError?.code ?? '');
  if (LOCK.has(code)) return 'lock';
  if (DUPLICATE.has(code)) return 'duplicate';
  return 'other';
}

/**
 * TypeORM's logger hook, used only to count failed queries by kind: every query of every feature goes
 * through TypeORM, so this is the one place that sees them all. Logging itself stays with the features.
 */
export class DbErrorLogger implements TypeOrmLogger {
  constructor(private readonly metrics: HubMetrics) {}

  logQueryError(error: string | Error): void {
    if (this.metrics.enabled) this.metrics.dbErrors.labels(dbErrorKind(error)).inc();
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
