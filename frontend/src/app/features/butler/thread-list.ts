import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink, RouterLinkActive } from '@angular/router';
import type { ConversationDto } from '@echocenter/contracts';
import { toUiError } from '../../core/api/api-error';
import { ClockService } from '../../core/clock.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../shared/confirm-button';
import { ThreadsStore } from './threads.store';
import { Icon } from '../../shared/icon';

@Component({
  selector: 'ec-thread-list',
  imports: [RouterLink, RouterLinkActive, TranslatePipe, ConfirmButton, Icon],
  templateUrl: './thread-list.html',
  styleUrl: './thread-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ThreadList {
  protected readonly threads = inject(ThreadsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly clock = inject(ClockService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly editingId = signal<number | null>(null);
  protected readonly actionError = signal<string | null>(null);

  protected async newThread(): Promise<void> {
    await this.run(async () => {
      const conv = await this.threads.create();
      await this.router.navigate([conv.id], { relativeTo: this.route });
    });
  }

  protected async rename(c: ConversationDto, title: string): Promise<void> {
    // Enter then blur both land here; only the first one counts.
    if (this.editingId() !== c.id) return;
    this.editingId.set(null);
    const next = title.trim();
    if (next && next !== c.title) await this.run(() => this.threads.update(c.id, { title: next }));
  }

  protected togglePin(c: ConversationDto): Promise<void> {
    return this.run(() => this.threads.update(c.id, { pinned: !c.pinned }));
  }

  protected toggleArchive(c: ConversationDto): Promise<void> {
    return this.run(() => this.threads.update(c.id, { archived: !c.archived }));
  }

  /** The thread and its messages go for good; the open thread page leaves by itself (ThreadsStore.removed$). */
  protected remove(c: ConversationDto): Promise<void> {
    return this.run(() => this.threads.remove(c.id));
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.actionError.set(null);
    try {
      await action();
    } catch (err) {
      this.actionError.set(toUiError(err).message);
    }
  }
}
