import type { LogLevel } from '@echocenter/contracts';
import { WINDOW_MINUTES, addToBuckets, minuteOf, toSeries } from './log-volume';

const NOW = Date.parse('2026-03-01T12:30:30Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const log = (level: LogLevel, minutesAgo: number) => ({ level, createdAt: at(minutesAgo) });

describe('log volume', () => {
  it('counts per level and minute over the last hour, dropping older logs', () => {
    const nowMinute = minuteOf(NOW);
    const buckets = addToBuckets(
      new Map(),
      [log('INFO', 0), log('INFO', 0), log('ERROR', 0), log('WARNING', 59), log('ERROR', 61)],
      nowMinute,
    );
    const s = toSeries(buckets, nowMinute);
    expect(s.levels.INFO).toHaveLength(WINDOW_MINUTES);
    expect(s.levels.INFO[WINDOW_MINUTES - 1]).toBe(2);
    expect(s.levels.ERROR[WINDOW_MINUTES - 1]).toBe(1);
    expect(s.levels.WARNING[0]).toBe(1);
    expect(s.totals).toEqual({ INFO: 2, SUCCESS: 0, WARNING: 1, ERROR: 1 });
    expect(s.max).toBe(2);
  });

  it('slides the window as time passes', () => {
    const m = minuteOf(NOW);
    const buckets = addToBuckets(new Map(), [log('ERROR', 30)], m);
    expect(toSeries(buckets, m).totals.ERROR).toBe(1);
    expect(toSeries(buckets, m + 31).totals.ERROR).toBe(0);
    // Adding later also prunes buckets that left the window.
    expect(addToBuckets(buckets, [], m + 31).size).toBe(0);
  });
});
