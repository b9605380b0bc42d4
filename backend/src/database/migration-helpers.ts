import { QueryRunner, TableColumnOptions } from 'typeorm';

/** Hand-written migrations serve SQLite and MySQL alike; these helpers hide the two dialect gaps. */
export function isMysql(qr: QueryRunner): boolean {
  return qr.connection.options.type === 'mysql';
}

export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

export function timeColumn(
  qr: QueryRunner,
  name: string,
  opts: { nullable?: boolean; defaultNow?: boolean } = {},
): TableColumnOptions {
  const mysql = isMysql(qr);
  return {
    name,
    type: 'datetime',
    precision: mysql ? 3 : undefined,
    isNullable: opts.nullable ?? false,
    default: opts.defaultNow ? (mysql ? 'CURRENT_TIMESTAMP(3)' : "(strftime('%Y-%m-%d %H:%M:%f','now'))") : undefined,
  };
}

export function textColumn(qr: QueryRunner, name: string, nullable = false): TableColumnOptions {
  // MySQL TEXT caps at 64 KiB bytes; MEDIUMTEXT leaves room for multi-byte UTF-8 at our caps.
  return { name, type: isMysql(qr) ? 'mediumtext' : 'text', isNullable: nullable };
}
