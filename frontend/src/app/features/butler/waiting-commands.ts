import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AgentCommandDto } from '@echocenter/contracts';
import { firstValueFrom, merge } from 'rxjs';
import { filter } from 'rxjs/operators';
import { toUiError, type UiError } from '../../core/api/api-error';
import { ButlerApi } from '../../core/api/butler.api';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { SocketService } from '../../core/realtime/socket.service';

/**
 * A thread's commands waiting for their offline agent (QUEUED), each with Cancel: a read-only one has no
 * approval card, so this is where its requester can take it back. The server decides who may (own; admins).
 */
@Component({
  selector: 'ec-waiting-commands',
  imports: [TranslatePipe],
  template: `
    @if (commands().length) {
      <section class="waiting" data-testid="waiting-commands" [attr.aria-label]="'butler.waiting.title' | t">
        <strong>{{ 'butler.waiting.title' | t }}</strong>
        <ul>
          @for (c of commands(); track c.id) {
            <li data-testid="waiting-command" [attr.data-command-id]="c.id">
              <span class="mono">{{ 'butler.waiting.item' | t: { command: text(c), time: i18n.dateTime(c.deadline) } }}</span>
              <button type="button" class="link danger" data-testid="waiting-cancel" [disabled]="cancelling().has(c.id)"
                      [attr.aria-label]="'butler.waiting.cancelLabel' | t: { command: text(c) }" (click)="cancel(c.id)">{{ 'butler.waiting.cancel' | t }}</button>
            </li>
          }
        </ul>
        @if (error(); as e) { <p class="error-state" role="alert" data-testid="waiting-cancel-error">{{ 'butler.waiting.cancelFailed' | t }} — {{ e.message }}</p> }
      </section>
    }
  `,
  styles: `
    .waiting { margin: .5rem .9rem 0; padding: .5rem .75rem; border: 1px solid var(--border); border-radius: 6px; background: var(--warning-soft); color: var(--warning-text); }
    ul { list-style: none; margin: .25rem 0 0; padding: 0; }
    li { display: flex; gap: .75rem; align-items: baseline; justify-content: space-between; }
    .mono { overflow-wrap: anywhere; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WaitingCommands {
  private readonly api = inject(ButlerApi);
  private readonly socket = inject(SocketService);
  protected readonly i18n = inject(I18nService);
  readonly conversationId = input.required<number>();

  protected readonly commands = signal<AgentCommandDto[]>([]);
  protected readonly cancelling = signal<ReadonlySet<number>>(new Set());
  protected readonly error = signal<UiError | null>(null);
  private generation = 0;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => void this.load(id));
    });
    // The Butler's messages here say when a command was queued or how it ended: look again then.
    merge(this.socket.chatMessage$.pipe(filter((m) => m.conversationId === this.conversationId())), this.socket.resync$)
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.load(this.conversationId()));
  }

  protected text(c: AgentCommandDto): string {
    return c.args ? `${c.command} ${c.args}` : c.command;
  }

  protected async cancel(id: number): Promise<void> {
    this.cancelling.update((s) => new Set([...s, id]));
    this.error.set(null);
    try {
      await firstValueFrom(this.api.cancelCommand(id, 'cancelled by its requester from the thread'));
      this.commands.update((list) => list.filter((c) => c.id !== id));
    } catch (err) {
      this.error.set(toUiError(err));
    } finally {
      this.cancelling.update((s) => new Set([...s].filter((x) => x !== id)));
    }
  }

  private async load(conversationId: number): Promise<void> {
    if (Number.isNaN(conversationId)) return;
    const generation = ++this.generation;
    try {
      const list = await firstValueFrom(this.api.waitingCommands(conversationId));
      // A later load (another thread, a newer message) wins.
      if (generation === this.generation) this.commands.set(list);
    } catch {
      // Leaves the list as it was: the thread itself still says what happened.
    }
  }
}
