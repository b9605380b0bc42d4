import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ChatChunkEvent, ChatMessageDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError, type UiError } from '../../core/api/api-error';
import { ChatApi } from '../../core/api/chat.api';
import { AuthService } from '../../core/auth/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { SocketService } from '../../core/realtime/socket.service';
import type { ChatTarget, LiveStream, PendingMessage } from './chat.models';
import { insertById } from './timeline';

const PAGE = 50;
/** How long an ended stream may wait for its stored message before we fetch it ourselves. */
export const ORPHAN_STREAM_MS = 3000;

/** One open conversation (agent chat or Butler thread): history, optimistic sends, live streams. */
@Injectable()
export class ChatStore {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly targetSignal = signal<ChatTarget | null>(null);
  private readonly storedSignal = signal<readonly ChatMessageDto[]>([]);
  private readonly pendingSignal = signal<readonly PendingMessage[]>([]);
  private readonly streamsSignal = signal<readonly LiveStream[]>([]);
  private readonly hasMoreSignal = signal(false);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<UiError | null>(null);
  private generation = 0;
  /** The newest id up to which this conversation is complete (loaded or caught up); null before the first page. */
  private syncedThrough: number | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  readonly target = this.targetSignal.asReadonly();
  readonly messages = this.storedSignal.asReadonly();
  readonly pending = this.pendingSignal.asReadonly();
  readonly streams = this.streamsSignal.asReadonly();
  readonly hasMore = this.hasMoreSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly meId = computed(() => this.auth.user()?.id ?? null);

  constructor() {
    this.socket.chatMessage$.pipe(takeUntilDestroyed()).subscribe((m) => this.ingest(m));
    this.socket.chatChunk$.pipe(takeUntilDestroyed()).subscribe((c) => this.onChunk(c));
    this.socket.chatEnd$.pipe(takeUntilDestroyed()).subscribe((e) => {
      if (this.targetSignal()?.peerId === e.senderId) this.endStream(e.streamId);
    });
    this.socket.resync$.pipe(takeUntilDestroyed()).subscribe(() => void this.catchUp());
    inject(DestroyRef).onDestroy(() => this.timers.forEach(clearTimeout));
  }

  /** Switches to another conversation and loads its newest page. */
  open(target: ChatTarget): Promise<void> {
    this.generation++;
    this.targetSignal.set(target);
    this.storedSignal.set([]);
    this.pendingSignal.set([]);
    this.streamsSignal.set([]);
    this.hasMoreSignal.set(false);
    this.errorSignal.set(null);
    this.syncedThrough = null;
    return this.fetchOlder();
  }

  loadOlder(): Promise<void> {
    if (!this.hasMoreSignal() || this.loadingSignal()) return Promise.resolve();
    return this.fetchOlder();
  }

  send(text: string): Promise<void> {
    const body = text.trim();
    if (!body || !this.targetSignal()) return Promise.resolve();
    const pending: PendingMessage = {
      localId: newLocalId(),
      text: body,
      createdAt: new Date().toISOString(),
      state: 'sending',
    };
    this.pendingSignal.update((list) => [...list, pending]);
    return this.deliver(pending);
  }

  /** Re-sends with the same localId: the server answers with the stored row if the first try landed. */
  retry(localId: string): Promise<void> {
    const p = this.pendingSignal().find((x) => x.localId === localId);
    if (!p) return Promise.resolve();
    this.setPending(localId, { state: 'sending', error: undefined });
    return this.deliver(p);
  }

  discard(localId: string): void {
    this.pendingSignal.update((list) => list.filter((p) => p.localId !== localId));
  }

  /** A stored row from the socket, an ack or a catch-up page; deduplicated by id and by localId. */
  ingest(msg: ChatMessageDto): void {
    if (!this.belongs(msg)) return;
    if (msg.localId && msg.senderId === this.meId()) this.discard(msg.localId);
    if (msg.streamId) this.streamsSignal.update((list) => list.filter((s) => s.streamId !== msg.streamId));
    this.storedSignal.update((list) => insertById(list, msg));
  }

  /**
   * After a reconnect or a `sync:hint`: everything after the last message up to which nothing is missing
   * (what was loaded or caught up; a live push does not count: one that overtook a lost message must not
   * hide it). Messages already held are kept once.
   */
  async catchUp(): Promise<void> {
    const target = this.targetSignal();
    if (!target) return;
    const gen = this.generation;
    for (let round = 0; round < 20; round++) {
      const list = this.storedSignal();
      const newest = list.length ? list[list.length - 1].id : undefined;
      if (newest === undefined) return void (await this.open(target));
      const after = Math.min(this.syncedThrough ?? newest, newest);
      const page = await firstValueFrom(
        this.api.history(target.peerId, { after, limit: PAGE, conversationId: target.conversationId }),
      ).catch(() => null);
      if (!page || gen !== this.generation) return;
      page.items.forEach((m) => this.ingest(m));
      if (page.items.length) this.syncedThrough = page.items[page.items.length - 1].id;
      if (page.items.length < PAGE) return;
    }
  }

  private async fetchOlder(): Promise<void> {
    const target = this.targetSignal();
    if (!target) return;
    const gen = this.generation;
    const oldest = this.storedSignal()[0]?.id;
    this.loadingSignal.set(true);
    try {
      const page = await firstValueFrom(
        this.api.history(target.peerId, { before: oldest, limit: PAGE, conversationId: target.conversationId }),
      );
      if (gen !== this.generation) return;
      // The newest page of a conversation is complete up to its newest message.
      // (an empty conversation is complete through nothing: a catch-up reads it from its start).
      if (oldest === undefined) this.syncedThrough = Math.max(0, ...page.items.map((m) => m.id));
      page.items.forEach((m) => this.ingest(m));
      this.hasMoreSignal.set(page.nextCursor != null && page.items.length > 0);
    } catch (err) {
      if (gen === this.generation) this.errorSignal.set(toUiError(err));
    } finally {
      if (gen === this.generation) this.loadingSignal.set(false);
    }
  }

  private async deliver(p: PendingMessage): Promise<void> {
    const target = this.targetSignal();
    if (!target) return;
    const ack = await this.socket.request('chat:send', {
      targetId: target.peerId,
      text: p.text,
      localId: p.localId,
      // The Butler answers in the console's language (the offline brain's phrases and replies exist in both).
      locale: this.i18n.lang(),
      ...(target.conversationId != null ? { conversationId: target.conversationId } : {}),
    });
    if (ack.ok && ack.message) this.ingest(ack.message);
    else if (!ack.ok) this.setPending(p.localId, { state: 'failed', error: ack.error.message || ack.error.code });
  }

  private onChunk(c: ChatChunkEvent): void {
    const target = this.targetSignal();
    if (!target || c.senderId !== target.peerId) return;
    if (c.conversationId != null && c.conversationId !== target.conversationId) return;
    // The stored final message may already be here (it is sent before chat:end): ignore late chunks then.
    if (this.storedSignal().some((m) => m.streamId === c.streamId)) return;
    this.streamsSignal.update((list) => {
      const i = list.findIndex((s) => s.streamId === c.streamId);
      if (i < 0) return [...list, { streamId: c.streamId, senderId: c.senderId, text: c.text, ended: false }];
      const next = list.slice();
      next[i] = { ...list[i], text: list[i].text + c.text };
      return next;
    });
  }

  private endStream(streamId: string): void {
    if (!this.streamsSignal().some((s) => s.streamId === streamId)) return;
    this.streamsSignal.update((list) => list.map((s) => (s.streamId === streamId ? { ...s, ended: true } : s)));
    // The stored row normally comes before chat:end; if it went missing, drop the draft and ask REST.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.streamsSignal().some((s) => s.streamId === streamId)) return;
      this.streamsSignal.update((list) => list.filter((s) => s.streamId !== streamId));
      void this.catchUp();
    }, ORPHAN_STREAM_MS);
    this.timers.add(timer);
  }

  private belongs(msg: ChatMessageDto): boolean {
    const target = this.targetSignal();
    const me = this.meId();
    if (!target || me == null) return false;
    if ((msg.conversationId ?? null) !== target.conversationId) return false;
    return (
      (msg.senderId === target.peerId && msg.targetId === me) || (msg.senderId === me && msg.targetId === target.peerId)
    );
  }

  private setPending(localId: string, changes: Partial<PendingMessage>): void {
    this.pendingSignal.update((list) => list.map((p) => (p.localId === localId ? { ...p, ...changes } : p)));
  }
}

function newLocalId(): string {
  const c = globalThis.crypto;
  // randomUUID needs a secure context; plain-http LAN deployments fall back to a random string.
  return typeof c?.randomUUID === 'function' && globalThis.isSecureContext !== false
    ? c.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
