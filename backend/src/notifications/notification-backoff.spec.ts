import { backoffMs } from './notification-sender.service';

describe('retry backoff', () => {
  it('waits the base before the second try and doubles it for each further one', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => backoffMs(5000, attempts))).toEqual([5000, 10000, 20000, 40000, 80000]);
  });

  it('never waits less than the base (no try yet) and never more than an hour', () => {
    expect(backoffMs(5000, 0)).toBe(5000);
    expect(backoffMs(5000, 12)).toBe(3600_000);
    expect(backoffMs(5000, 50)).toBe(3600_000);
    expect(backoffMs(3600_000 * 2, 1)).toBe(3600_000);
  });
});
