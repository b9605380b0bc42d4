import type { DataSource } from 'typeorm';

/**
 * A Date as a query parameter: SQLite stores UTC text ("YYYY-MM-DD HH:MM:SS.SSS") and compares
 * text, so it gets that exact text; mysql2 converts Dates itself (timezone Z).
 */
export function dbTime(ds: DataSource, date: Date): Date | string {
  if (ds.options.type === 'mysql') return date;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Escapes LIKE wildcards so user text matches literally. Use with `ESCAPE '!'`: a backslash would
 * need different quoting in MySQL and SQLite.
 */
export function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => '!' + c)}%`;
}
