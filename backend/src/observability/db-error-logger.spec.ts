import { QueryFailedError } from 'typeorm';
import { dbErrorKind } from './db-error-logger';

describe('dbErrorKind', () => {
  const wrapped = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error(code), { code }));

  it('names outages, lock trouble and duplicates, whether raw or wrapped by TypeORM', () => {
    expect(dbErrorKind(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(dbErrorKind(wrapped('PROTOCOL_CONNECTION_LOST'))).toBe('unavailable');
    expect(dbErrorKind(wrapped('ER_LOCK_DEADLOCK'))).toBe('lock');
    expect(dbErrorKind(wrapped('ER_DUP_ENTRY'))).toBe('duplicate');
    expect(dbErrorKind(wrapped('SQLITE_CONSTRAINT_UNIQUE'))).toBe('duplicate');
    expect(dbErrorKind(wrapped('ER_NO_SUCH_TABLE'))).toBe('other');
    expect(dbErrorKind('a string')).toBe('other');
  });
});
