import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ClockService } from '../../core/clock.service';
import { AgentsStore } from '../../core/data/agents.store';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { FleetCard } from './fleet-card';
import { LogStream } from './log-stream';
import { toSeries } from './log-volume';
import { LogsStore } from './logs.store';
import { VolumeChart } from './volume-chart';

@Component({
  selector: 'ec-dashboard-page',
  imports: [FleetCard, LogStream, VolumeChart, TranslatePipe],
  providers: [LogsStore],
  template: `
    <div class="page" data-testid="dashboard-page">
      <section class="stats" [attr.aria-label]="'dash.summary' | t">
        <div class="stat panel"><span class="muted">{{ 'dash.agentsOnline' | t }}</span>
          <b data-testid="stat-online">{{ agents.onlineCount() }}</b><small class="muted"> / {{ agents.agents().length }}</small></div>
        <div class="stat panel"><span class="muted">{{ 'dash.errorsHour' | t }}</span>
          <b data-testid="stat-errors" [class.danger]="series().totals.ERROR > 0">{{ series().totals.ERROR }}</b></div>
        <div class="stat panel"><span class="muted">{{ 'dash.warningsHour' | t }}</span><b>{{ series().totals.WARNING }}</b></div>
        <div class="stat panel"><span class="muted">{{ 'dash.logsHour' | t }}</span><b data-testid="stat-logs">{{ total() }}</b></div>
      </section>

      <section [attr.aria-labelledby]="'fleet-h'">
        <h2 id="fleet-h">{{ 'dash.fleet' | t }}</h2>
        @if (agents.error(); as err) {
          <p class="error-state" role="alert">{{ 'dash.fleetFailed' | t }} — {{ err.message }}
            <button type="button" class="link" (click)="agents.load(true)">{{ 'common.retry' | t }}</button></p>
        }
        <div class="fleet" data-testid="fleet">
          @for (agent of agents.agents(); track agent.id) {
            <ec-fleet-card [agent]="agent" />
          } @empty {
            <p class="empty-state">{{ (agents.loading() ? 'common.loading' : 'dash.noAgents') | t }}</p>
          }
        </div>
      </section>

      <div class="split">
        <section class="panel" aria-labelledby="chart-h">
          <h2 id="chart-h">{{ 'dash.chartTitle' | t }}</h2>
          <ec-volume-chart [series]="series()" />
        </section>
        <section class="panel logs" aria-labelledby="logs-h">
          <h2 id="logs-h">{{ 'dash.liveLogs' | t }}</h2>
          <ec-log-stream />
        </section>
      </div>
    </div>
  `,
  styles: `
    .page { display: flex; flex-direction: column; gap: 1rem; }
    .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; }
    .stat { display: flex; flex-direction: column; padding: .7rem .9rem; }
    .stat b { font-size: 1.6rem; }
    /* Cards as tall as their content: a short card no longer stretches to its row's tallest. */
    .fleet { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: .75rem; align-items: start; }
    .split { display: grid; grid-template-columns: minmax(280px, 2fr) 3fr; gap: 1rem; align-items: start; }
    @media (max-width: 1000px) { .split { grid-template-columns: 1fr; } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  protected readonly agents = inject(AgentsStore);
  private readonly logs = inject(LogsStore);
  private readonly clock = inject(ClockService);
  // Minute granularity: the chart shifts once a minute, not on every clock tick.
  private readonly minute = computed(() => Math.floor(this.clock.now() / 60_000));
  protected readonly series = computed(() => toSeries(this.logs.buckets(), this.minute()));
  protected readonly total = computed(() => {
    const t = this.series().totals;
    return t.INFO + t.SUCCESS + t.WARNING + t.ERROR;
  });

  constructor() {
    void this.logs.load();
  }
}
