import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  ApprovalDecisionRequest,
  ApprovalDto,
  ApprovalStatus,
  ApprovalUpdatedEvent,
  ChatMessageDto,
} from '@echocenter/contracts';
import { EMPTY, Subject, catchError, firstValueFrom, switchMap } from 'rxjs';
import { toUiError, type UiError } from '../../core/api/api-error';
import { UsersApi } from '../../core/api/users.api';
import { AuthService } from '../../core/auth/auth.service';
import { applyUpdateTo, fromRequested, mergeApproval, type ApprovalView } from '../../core/data/approval-merge';
import { ApprovalsStore } from '../../core/data/approvals.store';
import { SocketService } from '../../core/realtime/socket.service';
import { InboxApi } from './inbox.api';

export type StatusFilter = 'ALL' | ApprovalStatus;

export interface InboxFilters {
  status: StatusFilter;
  agentId: number | null;
  requestedBy: number | null;
}

export type InboxApproval = ApprovalView;

export type ContextState = { state: 'loading' } | { state: 'ready'; messages: ChatMessageDto[] } | { state: 'failed' };

/** How a decision went: it won, it lost to an earlier one (who, and how that ended), or it failed. */
export type DecisionOutcome =
  | { ok: true; approval: ApprovalDto }
  | { ok: false; conflict: true; decidedByName: string | null; status: ApprovalStatus | null; message: string }
  | { ok: false; conflict: false; error: UiError };

const NO_FILTERS: InboxFilters = { status: 'ALL', agentId: null, requestedBy: null };
const PAGE = 100;

/**
 * The approver's inbox: approvals as the filters select them, waiting ones first (soonest to expire on top),
 * then the rest newest first. Pushes (`approval:requested/updated/expiring`) keep it live; a push never moves
 * an approval back to an earlier status, whichever order the pushes and REST answers arrive in.
 */
@Injectable()
export class InboxStore {
  private readonly api = inject(InboxApi);
  private readonly usersApi = inject(UsersApi);
  private readonly auth = inject(AuthService);
  private readonly socket = inject(SocketService);
  // The shell's store behind the nav badge: what REST tells this page (a re-read after a lost decision,
  // say) it learns too, so the badge never counts a request this page shows as decided.
  private readonly badge = inject(ApprovalsStore, { optional: true });
  private readonly byId = signal<ReadonlyMap<number, InboxApproval>>(new Map());
  private readonly contexts = signal<ReadonlyMap<number, ContextState>>(new Map());
  private readonly userNames = signal<ReadonlyMap<number, string>>(new Map());
  private readonly filtersSignal = signal<InboxFilters>(NO_FILTERS);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private readonly cursor = signal<number | null>(null);
  private readonly queries = new Subject<{ filters: InboxFilters; before: number | null }>();

  readonly filters = this.filtersSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly hasOlder = computed(() => this.cursor() !== null);
  readonly rows = computed(() => {
    const f = this.filtersSignal();
    return [...this.byId().values()].filter((a) => matches(a, f)).sort(inboxOrder);
  });
  readonly waitingCount = computed(() => this.rows().filter((a) => a.status === 'PENDING').length);
  /** Everyone who may have asked (admins read the users list); for the requester filter. */
  readonly users = computed(() =>
    [...this.userNames()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  );

  constructor() {
    // The newest query wins: a filter changed mid-request drops the older answer.
    this.queries
      .pipe(
        switchMap((q) =>
          this.api.list({ ...toQuery(q.filters), before: q.before, limit: PAGE }).pipe(
            catchError((err: unknown) => {
              this.errorSignal.set(toUiError(err));
              this.loadingSignal.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((page) => {
        page.items.forEach((a) => this.learn(a));
        this.cursor.set(page.nextCursor);
        this.errorSignal.set(null);
        this.loadingSignal.set(false);
      });
    this.socket.approvalRequested$.pipe(takeUntilDestroyed()).subscribe((e) => this.upsert(fromRequested(e)));
    this.socket.approvalUpdated$.pipe(takeUntilDestroyed()).subscribe((e) => this.applyUpdate(e));
    this.socket.approvalExpiring$.pipe(takeUntilDestroyed()).subscribe((e) => {
      const a = this.byId().get(e.id);
      if (a) this.upsert({ ...a, expiresAt: e.expiresAt, expiring: true });
    });
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => this.load());
  }

  get(id: number): InboxApproval | undefined {
    return this.byId().get(id);
  }

  /** The first page for the current filters (again after a reconnect). */
  load(): void {
    this.loadingSignal.set(true);
    this.queries.next({ filters: this.filtersSignal(), before: null });
  }

  loadOlder(): void {
    const before = this.cursor();
    if (before === null) return;
    this.loadingSignal.set(true);
    this.queries.next({ filters: this.filtersSignal(), before });
  }

  setFilters(changes: Partial<InboxFilters>): void {
    this.filtersSignal.update((f) => ({ ...f, ...changes }));
    this.load();
  }

  /** Names of requesters: an admin reads the users list; anyone knows their own name. */
  loadUsers(): void {
    if (!this.auth.isAdmin()) return;
    this.usersApi.list().subscribe({
      next: (users) => this.userNames.set(new Map(users.map((u) => [u.id, u.username]))),
      error: () => undefined,
    });
  }

  userName(id: number): string {
    const me = this.auth.user();
    if (me?.id === id) return me.username;
    return this.userNames().get(id) ?? `#${id}`;
  }

  context(id: number): ContextState | undefined {
    return this.contexts().get(id);
  }

  /**
   * Fetches the thread messages behind an approval once (again after a failure). `refresh` reads them again
   * while keeping the ones shown: a waiting request's thread may have grown (the Butler's answer is stored
   * after the request it made).
   */
  loadContext(id: number, refresh = false): void {
    const known = this.contexts().get(id);
    if (known?.state === 'loading' || (known?.state === 'ready' && !refresh)) return;
    if (known?.state !== 'ready') this.setContext(id, { state: 'loading' });
    this.api.context(id).subscribe({
      next: (c) => this.setContext(id, { state: 'ready', messages: c.messages }),
      error: () => {
        if (this.contexts().get(id)?.state !== 'ready') this.setContext(id, { state: 'failed' });
      },
    });
  }

  /**
   * Decides like the API: exactly one decision wins. Losing to an earlier one re-reads the approval, so the
   * row shows who decided first and how it stands now.
   */
  async decide(id: number, body: ApprovalDecisionRequest): Promise<DecisionOutcome> {
    try {
      const approval = await firstValueFrom(this.api.decide(id, body));
      this.learn(approval);
      return { ok: true, approval };
    } catch (err) {
      const error = toUiError(err);
      if (error.code !== 'CONFLICT') return { ok: false, conflict: false, error };
      try {
        const now = await firstValueFrom(this.api.get(id));
        this.learn(now);
        return {
          ok: false,
          conflict: true,
          decidedByName: now.decidedByName,
          status: now.status,
          message: error.message,
        };
      } catch {
        return {
          ok: false,
          conflict: true,
          decidedByName: decidedByFrom(error.message),
          status: null,
          message: error.message,
        };
      }
    }
  }

  /** An approval as REST gave it: for this page and the badge. */
  private learn(a: ApprovalDto): void {
    this.upsert(a);
    this.badge?.upsert(a);
  }

  private upsert(a: InboxApproval): void {
    this.byId.update((m) => mergeApproval(m, a));
  }

  private applyUpdate(e: ApprovalUpdatedEvent): void {
    const prev = this.byId().get(e.id);
    if (prev || e.approval) return this.upsert(applyUpdateTo(prev!, e));
    this.api.get(e.id).subscribe({ next: (a) => this.learn(a), error: () => undefined });
  }

  private setContext(id: number, state: ContextState): void {
    this.contexts.update((m) => new Map(m).set(id, state));
  }
}

function matches(a: ApprovalDto, f: InboxFilters): boolean {
  return (
    (f.status === 'ALL' || a.status === f.status) &&
    (f.agentId === null || a.agentId === f.agentId) &&
    (f.requestedBy === null || a.requestedBy === f.requestedBy)
  );
}

/** Waiting first, the soonest to expire on top; then everything else, newest first. */
export function inboxOrder(a: ApprovalDto, b: ApprovalDto): number {
  const ap = a.status === 'PENDING';
  const bp = b.status === 'PENDING';
  if (ap !== bp) return ap ? -1 : 1;
  if (ap) return a.expiresAt.localeCompare(b.expiresAt) || a.id - b.id;
  return b.id - a.id;
}

function toQuery(f: InboxFilters) {
  return { status: f.status === 'ALL' ? undefined : [f.status], agentId: f.agentId, requestedBy: f.requestedBy };
}

/** "Approval #3 is already APPROVED (decided by ann)" → "ann". */
function decidedByFrom(message: string): string | null {
  return /\(decided by (.+)\)\s*$/.exec(message)?.[1] ?? null;
}
