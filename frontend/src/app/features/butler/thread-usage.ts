import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import type { ThreadUsageDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { UsageApi } from '../../core/api/usage.api';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

/**
 * What a Butler thread has spent on the model, in the thread's header. Read again whenever `replies`
 * changes (the Butler stored another message), so it follows the conversation.
 */
@Component({
  selector: 'ec-thread-usage',
  imports: [TranslatePipe],
  template: `
    @if (usage(); as u) {
      @if (u.turns > 0) {
        <span class="chip" data-testid="thread-usage" [attr.title]="'usage.threadTitle' | t: { prompt: n(u.promptTokens), completion: n(u.completionTokens), turns: n(u.turns) }">
          {{ u.cost === null ? ('usage.thread' | t: { tokens: tokens() }) : ('usage.threadCost' | t: { tokens: tokens(), cost: n(u.cost) }) }}
        </span>
      }
    }
  `,
  styles: `.chip { font-variant-numeric: tabular-nums; white-space: nowrap; }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ThreadUsage {
  private readonly api = inject(UsageApi);
  private readonly i18n = inject(I18nService);
  readonly conversationId = input.required<number>();
  /** Any value that changes when the Butler stores a reply (its message count). */
  readonly replies = input<number>(0);
  protected readonly usage = signal<ThreadUsageDto | null>(null);
  protected readonly tokens = computed(() => {
    const u = this.usage();
    return u ? this.n(u.promptTokens + u.completionTokens) : '';
  });
  private generation = 0;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      this.replies();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: number): Promise<void> {
    const generation = ++this.generation;
    // Usage is a nicety beside the conversation: a failed read leaves the chip as it was.
    const usage = await firstValueFrom(this.api.thread(id)).catch(() => null);
    if (generation === this.generation && usage && usage.conversationId === id) this.usage.set(usage);
    else if (generation === this.generation && !usage) this.usage.set(null);
  }

  protected n(value: number): string {
    return new Intl.NumberFormat(this.i18n.lang(), { maximumFractionDigits: 6 }).format(value);
  }
}
