import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ConversationDto, UpdateConversationRequest } from '@echocenter/contracts';
import { Subject, firstValueFrom } from 'rxjs';
import { toUiError, type UiError } from '../../core/api/api-error';
import { ButlerApi } from '../../core/api/butler.api';
import { SocketService } from '../../core/realtime/socket.service';

/**
 * The operator's Butler threads: pinned first, then most recently active. The hub pushes every change of
 * a thread (from this tab, another one, or the Butler titling it) to the owner's sockets.
 */
@Injectable()
export class ThreadsStore {
  private readonly api = inject(ButlerApi);
  private readonly socket = inject(SocketService);
  private readonly list = signal<readonly ConversationDto[]>([]);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private readonly drafts = new Map<number, string>();
  private readonly removedSubject = new Subject<number>();

  readonly showArchived = signal(false);
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly all = this.list.asReadonly();
  readonly visible = computed(() =>
    this.list()
      .filter((c) => c.archived === this.showArchived())
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || activity(b) - activity(a) || b.id - a.id),
  );
  readonly byId = computed(() => new Map(this.list().map((c) => [c.id, c])));
  /** Ids of threads deleted here or elsewhere. */
  readonly removed$ = this.removedSubject.asObservable();

  constructor() {
    this.socket.chatMessage$.pipe(takeUntilDestroyed()).subscribe((m) => {
      if (m.conversationId == null) return;
      const thread = this.byId().get(m.conversationId);
      if (!thread) return this.load();
      // A message pushed again (its sender resent it) may be older than the thread's last activity.
      if (!thread.lastMessageAt || thread.lastMessageAt < m.createdAt)
        this.patch(m.conversationId, { lastMessageAt: m.createdAt });
    });
    this.socket.conversationUpdated$.pipe(takeUntilDestroyed()).subscribe((c) => this.upsert(c));
    this.socket.conversationRemoved$.pipe(takeUntilDestroyed()).subscribe(({ id }) => this.drop(id));
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => this.load());
    inject(DestroyRef).onDestroy(() => this.removedSubject.complete());
  }

  load(): void {
    this.loadingSignal.set(true);
    this.api.conversations().subscribe({
      next: (items) => {
        this.list.set(items);
        this.errorSignal.set(null);
        this.loadingSignal.set(false);
      },
      error: (err: unknown) => {
        this.errorSignal.set(toUiError(err));
        this.loadingSignal.set(false);
      },
    });
  }

  async create(title?: string): Promise<ConversationDto> {
    const conv = await firstValueFrom(this.api.createConversation(title ? { title } : {}));
    this.upsert(conv);
    return conv;
  }

  async update(id: number, body: UpdateConversationRequest): Promise<void> {
    this.upsert(await firstValueFrom(this.api.updateConversation(id, body)));
  }

  async remove(id: number): Promise<void> {
    await firstValueFrom(this.api.deleteConversation(id));
    this.drop(id);
  }

  /** Hands the first message of a new thread to the thread page that will send it. */
  setDraft(id: number, text: string): void {
    this.drafts.set(id, text);
  }

  takeDraft(id: number): string | undefined {
    const text = this.drafts.get(id);
    this.drafts.delete(id);
    return text;
  }

  /** Keeps the newest state of a thread: pushes from several nodes may arrive out of order. */
  private upsert(conv: ConversationDto): void {
    const known = this.byId().get(conv.id);
    if (!known) return this.list.update((list) => [conv, ...list]);
    if (known.updatedAt > conv.updatedAt) return;
    // A pushed state may predate a message this tab already saw.
    const lastMessageAt =
      known.lastMessageAt && (!conv.lastMessageAt || known.lastMessageAt > conv.lastMessageAt)
        ? known.lastMessageAt
        : conv.lastMessageAt;
    this.patch(conv.id, { ...conv, lastMessageAt });
  }

  private drop(id: number): void {
    if (!this.byId().has(id)) return;
    this.list.update((list) => list.filter((c) => c.id !== id));
    this.removedSubject.next(id);
  }

  private patch(id: number, changes: Partial<ConversationDto>): void {
    this.list.update((list) => list.map((c) => (c.id === id ? { ...c, ...changes } : c)));
  }
}

function activity(c: ConversationDto): number {
  return new Date(c.lastMessageAt ?? c.updatedAt ?? c.createdAt).getTime();
}

/** A short title from the first words of the opening message. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
