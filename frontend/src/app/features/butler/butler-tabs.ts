import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth/auth.service';
import { ButlerStore } from '../../core/data/butler.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

@Component({
  selector: 'ec-butler-tabs',
  imports: [RouterLink, TranslatePipe],
  template: `
    <nav class="tabs" [attr.aria-label]="'nav.butler' | t">
      <a routerLink="/butler" [class.active]="active() === 'threads'" [attr.aria-current]="active() === 'threads' ? 'page' : null"
         data-testid="tab-threads">{{ 'butler.threads' | t }}</a>
      @if (auth.isAdmin()) {
        <a routerLink="/butler/monitor" [class.active]="active() === 'monitor'" [attr.aria-current]="active() === 'monitor' ? 'page' : null"
           data-testid="tab-monitor">{{ 'butler.monitor' | t }}</a>
      }
      @if (butler.butler(); as b) {
        <span class="brain muted" data-testid="butler-brain">{{ i18n.actorName(b.name, 'BUTLER') }} · {{ 'butler.brain' | t }}: {{ i18n.brainName(b.brain) }}
          @if (b.modelTools === false) {
            · <span class="no-tools" data-testid="butler-no-tools" [attr.title]="'butler.noToolsHelp' | t">{{ 'butler.noTools' | t }}</span>
          }
        </span>
      }
    </nav>
  `,
  styles: `
    .tabs { display: flex; gap: .25rem; align-items: center; padding: .5rem .75rem 0; flex-wrap: wrap; }
    a { padding: .35rem .8rem; border-radius: 6px 6px 0 0; text-decoration: none; color: var(--muted); border-bottom: 2px solid transparent; }
    a.active { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
    .brain { margin-left: auto; font-size: .82rem; }
    .no-tools { color: var(--warning-text); cursor: help; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ButlerTabs {
  protected readonly auth = inject(AuthService);
  protected readonly butler = inject(ButlerStore);
  protected readonly i18n = inject(I18nService);
  readonly active = input<'threads' | 'monitor'>('threads');
}
