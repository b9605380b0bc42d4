import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ApprovalDecisionRequest, ApprovalDto, ApprovalUpdatedEvent } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { ApprovalsApi } from '../api/approvals.api';
import { SocketService } from '../realtime/socket.service';
import { applyUpdateTo, fromRequested, mergeApproval, type ApprovalView } from './approval-merge';

export type { ApprovalView } from './approval-merge';

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
    this.byIdSignal.update((m) => mergeApproval(m, a));
  }

  applyUpdate(e: ApprovalUpdatedEvent): void {
    const prev = this.byIdSignal().get(e.id);
    if (prev || e.approval) {
      this.upsert(applyUpdateTo(prev!, e));
      return;
    }
    // Unknown approval (e.g. requested while this tab was closed): fetch it whole.
    this.api.get(e.id).subscribe({ next: (a) => this.upsert(a), error: () => undefined });
  }
}
