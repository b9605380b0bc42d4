import { oneOf } from './form-values';

describe('oneOf', () => {
  it('passes a listed option through and refuses anything else', () => {
    const roles = ['ADMIN', 'MEMBER'] as const;
    expect(oneOf(roles, 'ADMIN')).toBe('ADMIN');
    expect(oneOf(roles, 'admin')).toBeNull();
    expect(oneOf(roles, '')).toBeNull();
  });
});
