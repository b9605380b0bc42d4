import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { LEVELS, LEVEL_KEYS, WINDOW_MINUTES, type VolumeSeries } from './log-volume';

const W = 600;
const H = 160;
const PAD = { l: 30, r: 8, t: 8, b: 20 };

/** Log volume per level over the last hour, one line per level, drawn as plain SVG. */
@Component({
  selector: 'ec-volume-chart',
  imports: [TranslatePipe],
  template: `
    <figure data-testid="volume-chart">
      <svg [attr.viewBox]="'0 0 ' + w + ' ' + h" role="img" [attr.aria-label]="summary()" preserveAspectRatio="none">
        <line class="axis" [attr.x1]="pad.l" [attr.x2]="w - pad.r" [attr.y1]="h - pad.b" [attr.y2]="h - pad.b" />
        @for (tick of yTicks(); track tick.value) {
          <line class="grid" [attr.x1]="pad.l" [attr.x2]="w - pad.r" [attr.y1]="tick.y" [attr.y2]="tick.y" />
          <text class="label" [attr.x]="pad.l - 4" [attr.y]="tick.y + 3" text-anchor="end">{{ tick.value }}</text>
        }
        @for (line of lines(); track line.level) {
          <polyline [attr.class]="'series level-' + line.level" [attr.points]="line.points" [attr.data-level]="line.level" />
        }
        <text class="label" [attr.x]="pad.l" [attr.y]="h - 4" data-testid="chart-axis-start">{{ 'dash.minutesAgo' | t: { n: 60 } }}</text>
        <text class="label" [attr.x]="(w + pad.l) / 2" [attr.y]="h - 4" text-anchor="middle">{{ 'dash.minutesAgo' | t: { n: 30 } }}</text>
        <text class="label" [attr.x]="w - pad.r" [attr.y]="h - 4" text-anchor="end">{{ 'dash.now' | t }}</text>
      </svg>
      <figcaption class="legend">
        @for (level of levels; track level) {
          <span class="level-{{ level }}"><i></i>{{ levelKeys[level] | t }} <b [attr.data-testid]="'volume-total-' + level">{{ series().totals[level] }}</b></span>
        }
      </figcaption>
    </figure>
  `,
  styles: `
    figure { margin: 0; }
    svg { width: 100%; height: 170px; display: block; }
    .axis { stroke: var(--border); }
    .grid { stroke: var(--border); stroke-dasharray: 2 4; }
    .label { fill: var(--muted); font-size: 10px; }
    .series { fill: none; stroke: var(--lvl); stroke-width: 1.8; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
    .legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .85rem; margin-top: .3rem; }
    .legend i { display: inline-block; width: .8rem; height: .25rem; background: var(--lvl); margin-right: .3rem; vertical-align: middle; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VolumeChart {
  private readonly i18n = inject(I18nService);
  readonly series = input.required<VolumeSeries>();
  protected readonly levels = LEVELS;
  protected readonly levelKeys = LEVEL_KEYS;
  protected readonly w = W;
  protected readonly h = H;
  protected readonly pad = PAD;

  private readonly top = computed(() => niceMax(this.series().max));

  protected readonly lines = computed(() => {
    const s = this.series();
    const top = this.top();
    const stepX = (W - PAD.l - PAD.r) / (WINDOW_MINUTES - 1);
    const plotH = H - PAD.t - PAD.b;
    return LEVELS.map((level) => ({
      level,
      points: s.levels[level]
        .map((n, i) => `${(PAD.l + i * stepX).toFixed(1)},${(H - PAD.b - (n / top) * plotH).toFixed(1)}`)
        .join(' '),
    }));
  });

  protected readonly yTicks = computed(() => {
    const top = this.top();
    const plotH = H - PAD.t - PAD.b;
    return [top / 2, top].map((value) => ({ value, y: H - PAD.b - (value / top) * plotH }));
  });

  protected readonly summary = computed(() => {
    const t = this.series().totals;
    return (
      `${this.i18n.t('dash.chartTitle')}: ` + LEVELS.map((l) => `${this.i18n.t(LEVEL_KEYS[l])} ${t[l]}`).join(', ')
    );
  });
}

function niceMax(max: number): number {
  if (max <= 4) return 4;
  const mag = 10 ** Math.floor(Math.log10(max));
  const n = max / mag;
  return (n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}
