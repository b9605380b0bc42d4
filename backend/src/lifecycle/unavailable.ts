/**
 * True for errors that mean "the database cannot be reached right now" (refused, reset, lost, timed out,
 * too many connections), as mysql2 and better-sqlite3 raise them directly or wrapped by TypeORM. Those
 * are answered UNAVAILABLE (REST 503) so a client knows to retry, not INTERNAL_ERROR, which reads as
 * a bug; and nothing was stored, so retrying with the same localId is safe.
 */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
]);
const MESSAGES =
  /connection lost|closed state|pool is closed|connect ECONNREFUSED|server has gone away|can't add new command when connection is in closed state/i;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

export const DATABASE_UNAVAILABLE = 'The database is unavailable; nothing was stored, try again shortly';
