import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  ApprovalDecisionRequest, ApprovalDto, ApprovalRequestedEvent, ApprovalUpdatedEvent,
} from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { ApprovalsApi } from '../api/approvals.api';
import { SocketService } from '../realtime/socket.service';

export interface ApprovalView extends ApprovalDto {
  /** The server warned that this request is about to expire. */
  expiring?: boolean;
}

/** Every approval the console knows about, keyed by id; feeds the nav badge and the inline cards. */
@Injectable()
export class ApprovalsStore {
  private readonly api = inject(ApprovalsApi);
  private readonly socket = inject(SocketService);
  private readonly byIdSignal = signal<ReadonlyMap<number, ApprovalView>>(new Map());

  readonly all = computed(() => [...this.byIdSignal().values()].sort((a, b) => a.id - b.id));
  readonly pending = computed(() => this.all().filter((a) => a.status === 'PENDING'));
  readonly pendingCount = computed(() => this.pending().length);

  constructor() {
    this.socket.approvalRequested$.pipe(takeUntilDestroyed()).subscribe((e) => this.upsert(fromRequested(e)));
    this.socket.approvalUpdated$.pipe(takeUntilDestroyed()).subscribe((e) => this.applyUpdate(e));
    this.socket.approvalExpiring$.pipe(takeUntilDestroyed()).subscribe((e) => {
      const a = this.byIdSignal().get(e.id);
      if (a) this.upsert({ ...a, expiresAt: e.expiresAt, expiring: true });
    });
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => this.load());
  }

  get(id: number): ApprovalView | undefined {
    return this.byIdSignal().get(id);
  }

  load(): void {
    // Members may not be approvers; a refusal just leaves the list empty.
    this.api.list().subscribe({ next: (items) => items.forEach((a) => this.upsert(a)), error: () => undefined });
  }

  async decide(id: number, body: ApprovalDecisionRequest): Promise<ApprovalDto> {
    const approval = await firstValueFrom(this.api.decide(id, body));
    this.upsert(approval);
    return approval;
  }

  upsert(a: ApprovalView): void {
    this.byIdSignal.update((m) => {
      const prev = m.get(a.id);
      // A late echo must not move a finished approval back to an earlier status.
      if (prev && rank(prev.status) > rank(a.status)) return m;
      const next = new Map(m);
      next.set(a.id, { ...prev, ...a, expiring: a.status === 'PENDING' ? a.expiring ?? prev?.expiring : false });
      return next;
    });
  }

  applyUpdate(e: ApprovalUpdatedEvent): void {
    if (e.approval) {
      this.upsert({ ...e.approval, status: e.status });
      return;
    }
    const prev = this.byIdSignal().get(e.id);
    if (!prev) {
      // Unknown approval (e.g. requested while this tab was closed): fetch it whole.
      this.api.get(e.id).subscribe({ next: (a) => this.upsert(a), error: () => undefined });
      return;
    }
    this.upsert({
      ...prev,
      status: e.status,
      decidedBy: e.decidedBy ?? prev.decidedBy,
      decidedAt: e.decidedAt ?? prev.decidedAt,
      result: e.result ?? prev.result,
    });
  }
}

const ORDER: Record<ApprovalDto['status'], number> = {
  PENDING: 0, APPROVED: 1, REJECTED: 2, EXPIRED: 2, RUNNING: 2, SUCCEEDED: 3, FAILED: 3, TIMED_OUT: 3,
};
function rank(s: ApprovalDto['status']): number {
  return ORDER[s];
}

function fromRequested(e: ApprovalRequestedEvent): ApprovalView {
  return {
    ...e,
    proposedCommand: e.command,
    executedCommand: null,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    decisionChannel: null,
    decisionReason: null,
    commandId: null,
    result: null,
  };
}
