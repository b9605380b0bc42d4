import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AgentDto } from '@echocenter/contracts';
import { AgentsApi } from '../api/agents.api';
import { toUiError, type UiError } from '../api/api-error';
import { SocketService } from '../realtime/socket.service';

/** The fleet as the console sees it: REST snapshot kept current by presence, card and log events. */
@Injectable()
export class AgentsStore {
  private readonly api = inject(AgentsApi);
  private readonly socket = inject(SocketService);
  private readonly list = signal<AgentDto[]>([]);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private loaded = false;

  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly agents = computed(() =>
    [...this.list()].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name)),
  );
  readonly byId = computed(() => new Map(this.list().map((a) => [a.id, a])));
  readonly onlineCount = computed(() => this.list().filter((a) => a.online).length);

  constructor() {
    this.socket.presence$.pipe(takeUntilDestroyed()).subscribe((p) =>
      this.patch(p.actorId, { online: p.online, lastSeenAt: p.lastSeenAt, status: p.status }),
    );
    this.socket.agentCard$.pipe(takeUntilDestroyed()).subscribe((c) =>
      this.patch(c.agentId, { description: c.description ?? null, version: c.version ?? null, commands: c.commands }),
    );
    this.socket.logNew$.pipe(takeUntilDestroyed()).subscribe((log) => {
      if (log.agentId == null) return;
      // A log can be pushed again (its reporter resent it): an older one must not replace the last report.
      const last = this.byId().get(log.agentId)?.lastReportAt;
      if (!last || Date.parse(last) <= Date.parse(log.createdAt)) this.patch(log.agentId, { lastReport: log.content, lastReportAt: log.createdAt });
    });
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => this.load(true));
  }

  /** Loads once; `force` refetches (after reconnect or an admin change). */
  load(force = false): void {
    if (this.loaded && !force) return;
    this.loaded = true;
    this.loadingSignal.set(true);
    this.api.list().subscribe({
      next: (agents) => {
        this.list.set(agents);
        this.errorSignal.set(null);
        this.loadingSignal.set(false);
      },
      error: (err: unknown) => {
        this.errorSignal.set(toUiError(err));
        this.loadingSignal.set(false);
        this.loaded = false;
      },
    });
  }

  upsert(agent: AgentDto): void {
    this.list.update((list) =>
      list.some((a) => a.id === agent.id) ? list.map((a) => (a.id === agent.id ? agent : a)) : [...list, agent],
    );
  }

  remove(id: number): void {
    this.list.update((list) => list.filter((a) => a.id !== id));
  }

  private patch(id: number, changes: Partial<AgentDto>): void {
    this.list.update((list) => {
      const i = list.findIndex((a) => a.id === id);
      if (i < 0) return list;
      const next = list.slice();
      next[i] = { ...list[i], ...changes };
      return next;
    });
  }
}
