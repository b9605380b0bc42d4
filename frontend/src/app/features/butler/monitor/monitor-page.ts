import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AgentsStore } from '../../../core/data/agents.store';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ButlerTabs } from '../butler-tabs';
import { MonitorStore } from './monitor.store';

/** Butler ↔ Agents monitor: what the Butler told each agent and what came back, live. */
@Component({
  selector: 'ec-monitor-page',
  imports: [ButlerTabs, TranslatePipe],
  providers: [MonitorStore],
  templateUrl: './monitor-page.html',
  styleUrl: './monitor-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MonitorPage {
  protected readonly store = inject(MonitorStore);
  protected readonly agents = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly selectedName = computed(() => {
    const id = this.store.agentId();
    return id == null ? null : (this.agents.byId().get(id)?.name ?? `#${id}`);
  });

  constructor() {
    void this.store.select(null);
  }

  protected agentName(id: number): string {
    return this.agents.byId().get(id)?.name ?? `#${id}`;
  }
}
