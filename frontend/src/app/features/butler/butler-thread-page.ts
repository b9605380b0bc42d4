import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { TimelineExtra } from '../../shared/chat/chat.models';
import { ApprovalsStore, type ApprovalView } from '../../core/data/approvals.store';
import { ButlerStore } from '../../core/data/butler.store';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChatStore } from '../../shared/chat/chat.store';
import { ChatView } from '../../shared/chat/chat-view';
import { ApprovalCard } from './approval-card';
import { ThreadUsage } from './thread-usage';
import { ThreadsStore } from './threads.store';
import { WaitingCommands } from './waiting-commands';

/** One Butler thread: the conversation with approval cards woven in where they were requested. */
@Component({
  selector: 'ec-butler-thread-page',
  imports: [ChatView, ApprovalCard, ThreadUsage, TranslatePipe, WaitingCommands],
  providers: [ChatStore],
  template: `
    <header class="head">
      <h2 data-testid="thread-title">{{ thread()?.title || ('butler.untitled' | t) }}</h2>
      @if (pendingHere() > 0) {
        <span class="chip warn" data-testid="thread-pending">{{ 'butler.pendingHere' | t: { count: pendingHere() } }}</span>
      }
      <ec-thread-usage [conversationId]="id()" [replies]="butlerReplies()" />
    </header>
    <ec-waiting-commands [conversationId]="id()" />
    @if (butler.butler(); as b) {
      <ec-chat-view [peerName]="b.name" [extras]="extras()" [extraTemplate]="approvalTpl" [placeholder]="'butler.askPlaceholder' | t" />
    } @else {
      <div class="empty-state">{{ 'common.loading' | t }}</div>
    }
    <ng-template #approvalTpl let-approval>
      <ec-approval-card [approval]="approvalOf(approval)" />
    </ng-template>
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
    .head { display: flex; align-items: center; gap: .75rem; padding: .6rem .9rem; border-bottom: 1px solid var(--border); }
    h2 { margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .warn { background: var(--warning-soft); color: var(--warning-text); }
    ec-chat-view { flex: 1; min-height: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ButlerThreadPage {
  protected readonly butler = inject(ButlerStore);
  private readonly threads = inject(ThreadsStore);
  private readonly approvals = inject(ApprovalsStore);
  private readonly chat = inject(ChatStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** Route parameter. */
  readonly threadId = input.required<string>();
  protected readonly id = computed(() => Number(this.threadId()));
  // Only the id: a refreshed Butler view (e.g. its model's tools now known) must not reopen the thread.
  private readonly butlerId = computed(() => this.butler.butler()?.id ?? null);
  protected readonly thread = computed(() => this.threads.byId().get(this.id()) ?? null);
  private readonly approvalsHere = computed(() => this.approvals.all().filter((a) => a.conversationId === this.id()));
  /** Changes when the Butler stores a reply here: the usage chip reads the thread's usage again. */
  protected readonly butlerReplies = computed(() => {
    const butlerId = this.butlerId();
    return this.chat.messages().filter((m) => m.senderId === butlerId).length;
  });
  protected readonly pendingHere = computed(() => this.approvalsHere().filter((a) => a.status === 'PENDING').length);
  protected readonly extras = computed<TimelineExtra[]>(() =>
    this.approvalsHere().map((a: ApprovalView) => ({ key: `approval-${a.id}`, createdAt: a.createdAt, data: a })),
  );

  /** The chat view hands each extra back as it got it, untyped: here every extra is an approval (see `extras`). */
  protected approvalOf(data: unknown): ApprovalView {
    return data as ApprovalView;
  }

  constructor() {
    // Deleted here or in another tab: nothing is left to show.
    this.threads.removed$.pipe(takeUntilDestroyed()).subscribe((id) => {
      if (id === this.id()) void this.router.navigate(['..'], { relativeTo: this.route });
    });
    effect(() => {
      const butlerId = this.butlerId();
      const conversationId = this.id();
      if (butlerId === null || Number.isNaN(conversationId)) return;
      void untracked(async () => {
        await this.chat.open({ peerId: butlerId, conversationId });
        const draft = this.threads.takeDraft(conversationId);
        if (draft) await this.chat.send(draft);
      });
    });
  }
}
