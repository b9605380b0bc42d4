import { requireKinds } from './require-kinds';
import { SocketException } from './socket-errors';

describe('requireKinds', () => {
  const actor = (kind: 'ADMIN' | 'MEMBER' | 'AGENT' | 'BUTLER') => ({ id: 1, name: 'x', kind });

  it('lets the listed kinds through', () => {
    expect(() => requireKinds(actor('AGENT'), 'AGENT')).not.toThrow();
    expect(() => requireKinds(actor('MEMBER'), 'ADMIN', 'MEMBER')).not.toThrow();
  });

  it('refuses any other kind with FORBIDDEN, naming who may', () => {
    const refuse = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return err as SocketException;
      }
      throw new Error('not refused');
    };
    const err = refuse(() => requireKinds(actor('MEMBER'), 'AGENT', 'ADMIN'));
    expect(err).toBeInstanceOf(SocketException);
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe('Only agents or admins may send this event');
    expect(refuse(() => requireKinds(actor('BUTLER'), 'ADMIN', 'MEMBER')).code).toBe('FORBIDDEN');
  });
});
