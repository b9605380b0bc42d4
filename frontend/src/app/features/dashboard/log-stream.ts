import { ScrollingModule } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { LogDto } from '@echocenter/contracts';
import { AgentsStore } from '../../core/data/agents.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { LEVELS, LEVEL_KEYS } from './log-volume';
import { LogsStore } from './logs.store';
import { Icon } from '../../shared/icon';

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
  protected readonly rowHeight = 30;

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
