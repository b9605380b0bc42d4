import { Backoff, formatOutput, splitArgs, truncate } from '.';

describe('SDK helpers', () => {
  it('backoff doubles up to the cap and jitters within [d/2, d]', () => {
    const low = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    const high = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    expect([1, 2, 3, 4, 5].map(() => low.next())).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([100, 200, 400, 800, 1_000]);
    high.reset();
    expect(high.next()).toBe(100);
  });

  it('by default reconnects 0.5 s doubling to at most 2 s, as the console and the Python package do (catch-up within 3 s)', () => {
    const slowest = new Backoff({}, () => 0);
    expect(Array.from({ length: 8 }, () => slowest.next())).toEqual([
      500, 1_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000,
    ]);
  });

  it('splits arguments with quotes', () => {
    expect(splitArgs(`find "my file.txt" 'a b' c`)).toEqual(['find', 'my file.txt', 'a b', 'c']);
    expect(splitArgs('   ')).toEqual([]);
  });

  it('truncates with a note and formats outputs', () => {
    const cut = truncate('x'.repeat(100), 50);
    expect(cut).toHaveLength(50);
    expect(cut).toMatch(/truncated 50 chars\]$/);
    expect(formatOutput({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatOutput(undefined)).toBe('');
    expect(formatOutput(42)).toBe('42');
  });
});
