import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { UsageReportStore } from './usage-report.store';

/** Settings → Usage: model tokens per user, model and UTC day, with cost where a price is set. */
@Component({
  selector: 'ec-usage-report',
  imports: [TranslatePipe],
  providers: [UsageReportStore],
  template: `
    <section class="panel" data-testid="usage-report">
      <h2>{{ 'usage.title' | t }}</h2>
      <p class="muted">{{ 'usage.explain' | t }}</p>
      <form class="row-form" (submit)="$event.preventDefault(); store.load({ from: from.value, to: to.value })">
        <label for="usage-from">{{ 'usage.from' | t }}</label>
        <input id="usage-from" #from type="date" data-testid="usage-from" [value]="store.report()?.from ?? ''" />
        <label for="usage-to">{{ 'usage.to' | t }}</label>
        <input id="usage-to" #to type="date" data-testid="usage-to" [value]="store.report()?.to ?? ''" />
        <button type="submit" [disabled]="store.loading()" data-testid="usage-show">{{ 'usage.show' | t }}</button>
      </form>
      @if (store.report(); as r) {
        <p class="muted" data-testid="usage-budget">
          {{ r.dailyTokenBudget > 0 ? ('usage.budget' | t: { tokens: n(r.dailyTokenBudget) }) : ('usage.noBudget' | t) }}
          {{ prices() ? ('usage.prices' | t: { prices: prices() }) : ('usage.noPrices' | t) }}
        </p>
      }
      @if (store.error(); as e) { <p class="error-state" role="alert">{{ e }}</p> }
      <div class="table-wrap" tabindex="0">
        <table>
          <thead>
            <tr>
              <th>{{ 'usage.day' | t }}</th><th>{{ 'usage.user' | t }}</th><th>{{ 'usage.model' | t }}</th>
              <th class="num">{{ 'usage.prompt' | t }}</th><th class="num">{{ 'usage.completion' | t }}</th><th class="num">{{ 'usage.turns' | t }}</th><th class="num">{{ 'usage.cost' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of store.report()?.rows ?? []; track row.day + ':' + row.userId + ':' + row.model) {
              <tr data-testid="usage-row">
                <td class="nowrap">{{ row.day }}</td><td>{{ row.username }}</td><td class="mono">{{ row.model }}</td>
                <td class="num">{{ n(row.promptTokens) }}</td><td class="num">{{ n(row.completionTokens) }}</td><td class="num">{{ n(row.turns) }}</td>
                <td class="num">{{ row.cost === null ? ('usage.noPrice' | t) : money(row.cost) }}</td>
              </tr>
            } @empty {
              <tr><td colspan="7" class="empty-state">{{ (store.loading() ? 'common.loading' : 'usage.none') | t }}</td></tr>
            }
          </tbody>
          @if (store.report(); as r) {
            @if (r.rows.length) {
              <tfoot>
                <tr data-testid="usage-total">
                  <th colspan="3">{{ 'usage.total' | t }}</th>
                  <td class="num">{{ n(r.totals.promptTokens) }}</td><td class="num">{{ n(r.totals.completionTokens) }}</td><td class="num">{{ n(r.totals.turns) }}</td>
                  <td class="num">{{ r.totals.cost === null ? ('usage.noPrice' | t) : money(r.totals.cost) }}</td>
                </tr>
              </tfoot>
            }
          }
        </table>
      </div>
    </section>
  `,
  styleUrl: '../settings.css',
  styles: `
    .nowrap { white-space: nowrap; }
    input[type='date'] { max-width: 11rem; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsageReport {
  protected readonly store = inject(UsageReportStore);
  private readonly i18n = inject(I18nService);
  protected readonly prices = computed(() =>
    Object.entries(this.store.report()?.prices ?? {})
      .map(([model, price]) => `${model} ${this.money(price)}`)
      .join(', '),
  );

  constructor() {
    void this.store.load();
  }

  protected n(value: number): string {
    return new Intl.NumberFormat(this.i18n.lang()).format(value);
  }

  /** Prices are in whatever currency the admin set them in: shown as plain numbers. */
  protected money(value: number): string {
    return new Intl.NumberFormat(this.i18n.lang(), { maximumFractionDigits: 6 }).format(value);
  }
}
