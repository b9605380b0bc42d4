import { ScrollingModule } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { LogDto } from '@echocenter/contracts';
import { AgentsStore } from '../../core/data/agents.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { LEVELS, LEVEL_KEYS } from './log-volume';
import { LogsStore } from './logs.store';
import { Icon } from '../../shared/icon';

// Same breakpoint as the CSS; a stub where matchMedia is missing (unit tests without a layout engine).
const PHONE: Pick<MediaQueryList, 'matches'> &
  Partial<Pick<MediaQueryList, 'addEventListener' | 'removeEventListener'>> =
  typeof matchMedia === 'function' ? matchMedia('(max-width: 720px)') : { matches: false };

/** Newest-first live log list; only the visible rows exist in the DOM (CDK virtual scroll). */
@Component({
  selector: 'ec-log-stream',
  imports: [ScrollingModule, TranslatePipe, Icon],
  templateUrl: './log-stream.html',
  styleUrl: './log-stream.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogStream {
  protected readonly store = inject(LogsStore);
  protected readonly agents = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly levels = LEVELS;
  protected readonly levelKeys = LEVEL_KEYS;
  /** Desktop rows are one 30 px line; on a phone each row has two (time, level, agent; then the message). */
  protected readonly rowHeight = signal(PHONE.matches ? 48 : 30);
  protected readonly expanded = signal<LogDto | null>(null);

  constructor() {
    const follow = (e: { matches: boolean }) => this.rowHeight.set(e.matches ? 48 : 30);
    PHONE.addEventListener?.('change', follow);
    inject(DestroyRef).onDestroy(() => PHONE.removeEventListener?.('change', follow));
  }

  protected toggle(log: LogDto): void {
    this.expanded.update((open) => (open?.id === log.id ? null : log));
  }

  protected trackId(_: number, log: LogDto): number {
    return log.id;
  }

  protected setAgent(value: string): void {
    this.store.filters.update((f) => ({ ...f, agentId: value ? Number(value) : null }));
  }

  protected setText(text: string): void {
    this.store.filters.update((f) => ({ ...f, text }));
  }
}
