import { RefusedTokens, refusedKey } from './refused-tokens';

describe('RefusedTokens', () => {
  afterEach(() => jest.useRealTimers());

  it('remembers a refused token for its TTL only, by hash', () => {
    jest.useFakeTimers({ now: 1_000 });
    const cache = new RefusedTokens(30_000);
    const key = refusedKey('garbage-token');
    expect(key).not.toContain('garbage');
    expect(cache.has(key)).toBe(false);
    cache.add(key);
    expect(cache.has(key)).toBe(true);
    jest.setSystemTime(1_000 + 30_001);
    expect(cache.has(key)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('stays bounded under a flood of distinct tokens, and is off with a TTL of 0', () => {
    const cache = new RefusedTokens(60_000);
    for (let i = 0; i < 10_050; i++) cache.add(refusedKey(`t${i}`));
    expect(cache.size).toBe(10_000);
    expect(cache.has(refusedKey('t0'))).toBe(false); // the oldest went first
    expect(cache.has(refusedKey('t10049'))).toBe(true);
    const off = new RefusedTokens(0);
    off.add(refusedKey('x'));
    expect(off.has(refusedKey('x'))).toBe(false);
  });
});
