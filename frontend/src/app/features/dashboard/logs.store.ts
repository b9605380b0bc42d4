import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { LogDto, LogLevel } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError, type UiError } from '../../core/api/api-error';
import { LogsApi } from '../../core/api/logs.api';
import { SocketService } from '../../core/realtime/socket.service';
import { LEVELS, WINDOW_MINUTES, addToBuckets, minuteOf, type VolumeBuckets } from './log-volume';

export const MAX_ROWS = 20_000;
// The API caps a page at 200. The first load walks the whole hour (up to MAX_ROWS) so the chart is exact;
// rows show from the first page on while the rest arrive.
const PAGE = 200;
const INITIAL_MAX = MAX_ROWS;
const FLUSH_MS = 150;

export interface LogFilters {
  levels: ReadonlySet<LogLevel>;
  agentId: number | null;
  text: string;
}

/**
 * The dashboard's live log stream. Incoming logs are batched (one signal write per ~150 ms however fast
 * they arrive), deduplicated by id, capped, and counted into per-minute volume buckets.
 */
@Injectable()
export class LogsStore {
  private readonly api = inject(LogsApi);
  private readonly socket = inject(SocketService);
  private readonly rowsSignal = signal<readonly LogDto[]>([]);
  private readonly heldSignal = signal<readonly LogDto[]>([]);
  private readonly bucketsSignal = signal<VolumeBuckets>(new Map());
  private readonly pausedSignal = signal(false);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private readonly seen = new Set<number>();
  private queue: LogDto[] = [];
  private loadedHour = false;
  /**
   * Every log up to this id is held (loaded, caught up, or pushed in an unbroken run of ids: every log is
   * pushed to every human). A catch-up starts here, not at the newest row: a push that overtook a lost one
   * must not hide it (a node that died between its commit and its push).
   */
  private syncedThrough: number | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  readonly filters = signal<LogFilters>({ levels: new Set(LEVELS), agentId: null, text: '' });
  readonly rows = this.rowsSignal.asReadonly();
  readonly buckets = this.bucketsSignal.asReadonly();
  readonly paused = this.pausedSignal.asReadonly();
  readonly heldCount = computed(() => this.heldSignal().length);
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly filtered = computed(() => {
    const { levels, agentId, text } = this.filters();
    const q = text.trim().toLowerCase();
    const all = this.rowsSignal();
    if (levels.size === LEVELS.length && agentId == null && !q) return all;
    return all.filter(
      (l) =>
        levels.has(l.level) &&
        (agentId == null || l.agentId === agentId) &&
        (!q || l.content.toLowerCase().includes(q) || (l.agentName ?? '').toLowerCase().includes(q)),
    );
  });

  constructor() {
    this.socket.logNew$.pipe(takeUntilDestroyed()).subscribe((log) => this.enqueue(log));
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => void this.catchUp());
    inject(DestroyRef).onDestroy(() => clearTimeout(this.flushTimer));
  }

  /** The last hour of logs, newest first, paged with `before` (capped at INITIAL_MAX). */
  async load(now = Date.now()): Promise<void> {
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    const since = new Date(now - WINDOW_MINUTES * 60_000).toISOString();
    try {
      let before: number | undefined;
      for (let fetched = 0; fetched < INITIAL_MAX;) {
        const page = await firstValueFrom(this.api.list({ since, before, limit: PAGE }));
        if (before === undefined)
          this.syncedThrough = Math.max(
            this.syncedThrough ?? 0,
            ...page.items.map((l) => l.id),
            page.items.length ? 0 : await this.newestId(),
          );
        this.accept(page.items, now);
        fetched += page.items.length;
        if (page.nextCursor == null || page.items.length === 0) break;
        before = page.nextCursor;
      }
      this.loadedHour = true;
    } catch (err) {
      this.errorSignal.set(toUiError(err));
    } finally {
      this.loadingSignal.set(false);
    }
  }

  /** The newest log id of all (an empty hour says nothing about older ids). */
  private async newestId(): Promise<number> {
    const page = await firstValueFrom(this.api.list({ limit: 1 }));
    return page.items[0]?.id ?? 0;
  }

  enqueue(log: LogDto): void {
    // An unbroken run of pushed ids moves the cursor on; a gap keeps it until a catch-up has read past it.
    if (this.syncedThrough !== null && log.id === this.syncedThrough + 1) this.syncedThrough = log.id;
    this.queue.push(log);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(now = Date.now()): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.accept(batch, now);
  }

  togglePause(): void {
    if (!this.pausedSignal()) {
      this.pausedSignal.set(true);
      return;
    }
    this.pausedSignal.set(false);
    const held = this.heldSignal();
    this.heldSignal.set([]);
    this.rowsSignal.update((rows) => merge(held, rows));
  }

  toggleLevel(level: LogLevel): void {
    this.filters.update((f) => {
      const levels = new Set(f.levels);
      if (levels.has(level)) levels.delete(level);
      else levels.add(level);
      return { ...f, levels };
    });
  }

  /**
   * After a reconnect or a `sync:hint`: everything after the last id up to which nothing is missing (`after=`
   * walks forward, oldest first); rows we already hold are kept once.
   */
  async catchUp(now = Date.now()): Promise<void> {
    const newest = Math.max(this.heldSignal()[0]?.id ?? 0, this.rowsSignal()[0]?.id ?? 0);
    // A first load cut short by the outage is redone whole (rows are deduplicated by id).
    if (!newest || !this.loadedHour) return this.load(now);
    try {
      let after = Math.min(this.syncedThrough ?? newest, newest);
      for (let round = 0; round < MAX_ROWS / PAGE; round++) {
        const page = await firstValueFrom(this.api.list({ after, limit: PAGE }));
        this.accept(page.items, now);
        if (page.items.length) after = Math.max(...page.items.map((l) => l.id));
        this.syncedThrough = Math.max(this.syncedThrough ?? 0, after);
        if (page.items.length < PAGE) break;
      }
      this.errorSignal.set(null);
    } catch {
      // Live events keep flowing; a missed catch-up is not worth an error banner.
    }
  }

  private accept(logs: readonly LogDto[], now: number): void {
    const fresh: LogDto[] = [];
    for (const l of logs) {
      if (this.seen.has(l.id)) continue;
      this.seen.add(l.id);
      fresh.push(l);
    }
    if (!fresh.length) return;
    const sorted = [...fresh].sort((a, b) => b.id - a.id);
    this.bucketsSignal.update((b) => addToBuckets(b, fresh, minuteOf(now)));
    if (this.pausedSignal()) this.heldSignal.update((held) => merge(sorted, held));
    else this.rowsSignal.update((rows) => merge(sorted, rows));
    if (this.seen.size > MAX_ROWS * 2) this.compactSeen();
  }

  private compactSeen(): void {
    this.seen.clear();
    for (const l of this.rowsSignal()) this.seen.add(l.id);
    for (const l of this.heldSignal()) this.seen.add(l.id);
  }
}

/** Merges two newest-first lists, capped at MAX_ROWS. The common case (all newer) is a plain concat. */
function merge(newer: readonly LogDto[], older: readonly LogDto[]): readonly LogDto[] {
  if (!newer.length) return older;
  if (!older.length || newer[newer.length - 1].id > older[0].id) return [...newer, ...older].slice(0, MAX_ROWS);
  return [...newer, ...older].sort((a, b) => b.id - a.id).slice(0, MAX_ROWS);
}
