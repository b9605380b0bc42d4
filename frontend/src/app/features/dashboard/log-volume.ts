import type { LogLevel } from '@echocenter/contracts';

export const LEVELS = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'] as const satisfies readonly LogLevel[];
export const WINDOW_MINUTES = 60;
export const LEVEL_KEYS = {
  INFO: 'level.INFO',
  SUCCESS: 'level.SUCCESS',
  WARNING: 'level.WARNING',
  ERROR: 'level.ERROR',
} as const satisfies Record<LogLevel, string>;

export type LevelCounts = Record<LogLevel, number>;
/** Log counts per level keyed by epoch minute. */
export type VolumeBuckets = ReadonlyMap<number, LevelCounts>;

export interface VolumeSeries {
  /** Epoch minute of the first bucket; the last bucket is the current minute. */
  startMinute: number;
  levels: Record<LogLevel, number[]>;
  totals: LevelCounts;
  max: number;
}

export function emptyCounts(): LevelCounts {
  return { INFO: 0, SUCCESS: 0, WARNING: 0, ERROR: 0 };
}

export function minuteOf(iso: string | number): number {
  return Math.floor(new Date(iso).getTime() / 60_000);
}

/** Adds logs to a copy of the buckets and drops buckets that fell out of the window. */
export function addToBuckets(
  buckets: VolumeBuckets,
  logs: readonly { level: LogLevel; createdAt: string }[],
  nowMinute: number,
): VolumeBuckets {
  const oldest = nowMinute - WINDOW_MINUTES + 1;
  const next = new Map<number, LevelCounts>();
  for (const [m, c] of buckets) if (m >= oldest) next.set(m, c);
  for (const log of logs) {
    const m = minuteOf(log.createdAt);
    if (m < oldest || Number.isNaN(m)) continue;
    const counts = { ...(next.get(m) ?? emptyCounts()) };
    counts[log.level]++;
    next.set(m, counts);
  }
  return next;
}

/** The last hour as one array of per-minute counts per level, oldest first. */
export function toSeries(buckets: VolumeBuckets, nowMinute: number): VolumeSeries {
  const startMinute = nowMinute - WINDOW_MINUTES + 1;
  const levels = { INFO: [], SUCCESS: [], WARNING: [], ERROR: [] } as Record<LogLevel, number[]>;
  const totals = emptyCounts();
  let max = 0;
  for (let i = 0; i < WINDOW_MINUTES; i++) {
    const c = buckets.get(startMinute + i);
    for (const level of LEVELS) {
      const n = c?.[level] ?? 0;
      levels[level].push(n);
      totals[level] += n;
      if (n > max) max = n;
    }
  }
  return { startMinute, levels, totals, max };
}
