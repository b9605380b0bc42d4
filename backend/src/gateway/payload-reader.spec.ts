import { PayloadReader } from './payload-reader';
import { SocketException } from './socket-errors';

const fail = (fn: () => void): SocketException => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SocketException) return err;
    throw err;
  }
  throw new Error('expected a SocketException');
};

describe('PayloadReader', () => {
  it('refuses anything but a plain object', () => {
    for (const v of [null, undefined, 'x', 5, [1]]) {
      expect(fail(() => PayloadReader.of(v))).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'payload', message: 'must be an object' }],
      });
    }
  });

  it('collects every field problem in one answer, and ignores unknown fields', () => {
    const r = PayloadReader.of({
      n: 1.5,
      s: '',
      big: 'x'.repeat(11),
      id: 'has space',
      flag: 'yes',
      level: 'LOUD',
      senderId: 99,
    });
    r.int('n');
    r.str('s', { max: 10 });
    r.str('big', { max: 10 });
    r.str('id', { max: 64, pattern: /^\S+$/, patternMessage: 'no spaces' });
    r.bool('flag');
    r.oneOf('level', ['INFO', 'ERROR']);
    r.optInt('missing');
    const err = fail(() => r.done());
    expect(err.details).toEqual([
      { field: 'n', message: 'must be an integer' },
      { field: 's', message: 'must not be empty' },
      { field: 'big', message: 'must be at most 10 characters' },
      { field: 'id', message: 'no spaces' },
      { field: 'flag', message: 'must be a boolean' },
      { field: 'level', message: 'must be one of INFO, ERROR' },
    ]);
    expect(err.message).toContain('n: must be an integer');
  });

  it('returns valid values and checks integer ranges', () => {
    const r = PayloadReader.of({ a: 3, b: 0, text: 'ok' }, 'x.');
    expect(r.int('a')).toBe(3);
    expect(r.str('text', { max: 5 })).toBe('ok');
    expect(r.optStr('none', { max: 5 })).toBeUndefined();
    r.int('b');
    expect(fail(() => r.done()).details).toEqual([{ field: 'x.b', message: 'must be between 1 and 2147483647' }]);
  });
});
