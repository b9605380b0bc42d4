import { Injectable, computed, inject, signal } from '@angular/core';
import type { NotificationAttemptDto, NotificationChannelDto, NotificationDto, UserDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { NotificationsApi } from '../../../core/api/notifications.api';
import { UsersApi } from '../../../core/api/users.api';
import { loadState } from '../../../shared/load-state';
import { toRequest, type ChannelDraft } from './channel-draft';

/** A webhook secret the hub just generated: shown once, then dismissed. */
export interface RevealedSecret {
  channelName: string;
  secret: string;
}

/**
 * Settings → Channels: the channels, the admins they may address, the selected channel's delivery log
 * and the dead letters. Scoped to the tab.
 */
@Injectable()
export class ChannelsStore {
  private readonly api = inject(NotificationsApi);
  private readonly users = inject(UsersApi);

  readonly channels = signal<readonly NotificationChannelDto[]>([]);
  readonly admins = signal<readonly UserDto[]>([]);
  readonly selectedId = signal<number | null>(null);
  readonly deliveries = signal<readonly NotificationAttemptDto[]>([]);
  readonly deadLetters = signal<readonly NotificationDto[]>([]);
  readonly revealed = signal<RevealedSecret | null>(null);
  private readonly state = loadState(false);
  readonly loading = this.state.loading;
  readonly error = this.state.error;
  /** A message key (channels.*) for the last success worth saying. */
  readonly notice = signal<'channels.testQueued' | 'channels.retried' | null>(null);
  readonly selected = computed(() => this.channels().find((c) => c.id === this.selectedId()) ?? null);

  async load(): Promise<void> {
    this.loading.set(true);
    await this.run(async () => {
      const [channels, users, dead] = await Promise.all([
        firstValueFrom(this.api.channels()),
        firstValueFrom(this.users.list()),
        firstValueFrom(this.api.outbox({ status: 'DEAD' })),
      ]);
      this.channels.set(channels);
      this.admins.set(users.filter((u) => u.role === 'ADMIN' && !u.disabled));
      this.deadLetters.set(dead.items);
    });
    this.loading.set(false);
  }

  /** Creates or updates; true when saved (the form closes). */
  async save(draft: ChannelDraft, id: number | null): Promise<boolean> {
    return this.run(async () => {
      const saved = await firstValueFrom(
        id === null ? this.api.create(toRequest(draft, false)) : this.api.update(id, toRequest(draft, true)),
      );
      this.channels.update((list) =>
        id === null ? [...list, saved.channel] : list.map((c) => (c.id === id ? saved.channel : c)),
      );
      if (saved.secret) this.revealed.set({ channelName: saved.channel.name, secret: saved.secret });
      this.selectedId.set(saved.channel.id);
      await this.refreshLog();
    });
  }

  async remove(id: number): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(this.api.remove(id));
      this.channels.update((list) => list.filter((c) => c.id !== id));
      if (this.selectedId() === id) this.selectedId.set(null);
      this.deadLetters.update((list) => list.filter((n) => n.channelId !== id));
    });
  }

  async select(id: number | null): Promise<void> {
    this.selectedId.set(id);
    this.deliveries.set([]);
    if (id !== null) await this.run(() => this.refreshLog());
  }

  /** Queues a test message; the log is refreshed now and once more shortly after, when it has usually gone. */
  async test(id: number): Promise<void> {
    const ok = await this.run(async () => {
      await firstValueFrom(this.api.test(id));
      this.selectedId.set(id);
      await this.refreshLog();
    });
    if (ok) this.notice.set('channels.testQueued');
  }

  async refreshLog(): Promise<void> {
    const id = this.selectedId();
    if (id === null) return;
    const [page, dead] = await Promise.all([
      firstValueFrom(this.api.deliveries(id)),
      firstValueFrom(this.api.outbox({ status: 'DEAD' })),
    ]);
    if (this.selectedId() === id) this.deliveries.set(page.items);
    this.deadLetters.set(dead.items);
  }

  async retry(n: NotificationDto): Promise<void> {
    const ok = await this.run(async () => {
      await firstValueFrom(this.api.retry(n.id));
      this.deadLetters.update((list) => list.filter((d) => d.id !== n.id));
    });
    if (ok) this.notice.set('channels.retried');
  }

  private run(action: () => Promise<void>): Promise<boolean> {
    this.notice.set(null);
    return this.state.run(action);
  }
}
