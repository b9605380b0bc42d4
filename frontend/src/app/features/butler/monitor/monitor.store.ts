import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { MonitorEventDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError, type UiError } from '../../../core/api/api-error';
import { ButlerApi } from '../../../core/api/butler.api';
import { SocketService } from '../../../core/realtime/socket.service';

const PAGE = 100;

/** The Butler↔agent transcript for one agent (or all), oldest first, kept live. */
@Injectable()
export class MonitorStore {
  private readonly api = inject(ButlerApi);
  private readonly socket = inject(SocketService);
  private readonly eventsSignal = signal<readonly MonitorEventDto[]>([]);
  private readonly agentSignal = signal<number | null>(null);
  private readonly unseenSignal = signal<ReadonlyMap<number, number>>(new Map());
  private readonly hasMoreSignal = signal(false);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private generation = 0;

  readonly events = this.eventsSignal.asReadonly();
  readonly agentId = this.agentSignal.asReadonly();
  readonly unseen = this.unseenSignal.asReadonly();
  readonly hasMore = this.hasMoreSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  /** Events grouped by command, so a command and its replies read together. */
  readonly commandCount = computed(
    () =>
      new Set(
        this.eventsSignal()
          .map((e) => e.commandId)
          .filter((c) => c != null),
      ).size,
  );

  /**
   * Commands not ended yet as far as the transcript shows (queued or running: nothing came back but
   * progress, no cancel went out), by the id of the event that started each (where Cancel is offered).
   */
  readonly openCommands = computed(() => {
    const start = new Map<number, number>();
    const ended = new Set<number>();
    for (const e of this.eventsSignal()) {
      if (e.commandId == null) continue;
      if (!start.has(e.commandId)) start.set(e.commandId, e.id);
      const endsIt = e.direction === 'FROM_AGENT' ? !e.text.startsWith('progress:') : e.text.startsWith('cancel:');
      if (endsIt) ended.add(e.commandId);
    }
    for (const id of ended) start.delete(id);
    return start;
  });
  private readonly cancellingSignal = signal<ReadonlySet<number>>(new Set());
  readonly cancelling = this.cancellingSignal.asReadonly();
  private readonly cancelErrorSignal = signal<UiError | null>(null);
  readonly cancelError = this.cancelErrorSignal.asReadonly();

  constructor() {
    this.socket.monitorEvent$.pipe(takeUntilDestroyed()).subscribe((e) => this.ingest(e));
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => void this.select(this.agentSignal()));
  }

  select(agentId: number | null): Promise<void> {
    this.generation++;
    this.agentSignal.set(agentId);
    this.eventsSignal.set([]);
    this.hasMoreSignal.set(false);
    if (agentId != null) this.unseenSignal.update((m) => withCount(m, agentId, 0));
    return this.fetch();
  }

  loadOlder(): Promise<void> {
    return this.hasMoreSignal() && !this.loadingSignal() ? this.fetch() : Promise.resolve();
  }

  ingest(e: MonitorEventDto): void {
    const selected = this.agentSignal();
    if (selected != null && e.agentId !== selected) {
      this.unseenSignal.update((m) => withCount(m, e.agentId, (m.get(e.agentId) ?? 0) + 1));
      return;
    }
    this.eventsSignal.update((list) =>
      list.some((x) => x.id === e.id) ? list : [...list, e].sort((a, b) => a.id - b.id),
    );
  }

  /** Cancels a queued or running command; its `cancel:` line then arrives live like any other. */
  async cancel(commandId: number): Promise<void> {
    this.cancellingSignal.update((s) => new Set([...s, commandId]));
    this.cancelErrorSignal.set(null);
    try {
      await firstValueFrom(this.api.cancelCommand(commandId, 'cancelled from the monitor'));
    } catch (err) {
      this.cancelErrorSignal.set(toUiError(err));
    } finally {
      this.cancellingSignal.update((s) => new Set([...s].filter((id) => id !== commandId)));
    }
  }

  private async fetch(): Promise<void> {
    const gen = this.generation;
    const agentId = this.agentSignal();
    const before = this.eventsSignal()[0]?.id;
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    try {
      const page = await firstValueFrom(this.api.monitor({ agentId: agentId ?? undefined, before, limit: PAGE }));
      if (gen !== this.generation) return;
      const known = new Set(this.eventsSignal().map((e) => e.id));
      const fresh = page.items.filter((e) => !known.has(e.id));
      this.eventsSignal.update((list) => [...fresh, ...list].sort((a, b) => a.id - b.id));
      this.hasMoreSignal.set(page.nextCursor != null && page.items.length > 0);
    } catch (err) {
      if (gen === this.generation) this.errorSignal.set(toUiError(err));
    } finally {
      if (gen === this.generation) this.loadingSignal.set(false);
    }
  }
}

function withCount(m: ReadonlyMap<number, number>, id: number, n: number): ReadonlyMap<number, number> {
  const next = new Map(m);
  next.set(id, n);
  return next;
}
