import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { I18nService } from '../i18n/i18n.service';
import { TranslatePipe } from '../i18n/translate.pipe';
import { ThemeService } from '../theme/theme.service';

/** Language and theme switches, shown in the top bar and on the login page. */
@Component({
  selector: 'ec-preferences',
  imports: [TranslatePipe],
  template: `
    <button type="button" class="ghost" data-testid="lang-toggle" (click)="i18n.toggle()"
            [attr.aria-label]="'prefs.language' | t" [attr.lang]="i18n.lang() === 'en' ? 'zh-CN' : 'en'">
      {{ i18n.lang() === 'en' ? '中文' : 'EN' }}
    </button>
    <button type="button" class="ghost" data-testid="theme-toggle" (click)="theme.toggle()"
            [attr.aria-label]="(theme.theme() === 'dark' ? 'prefs.toLight' : 'prefs.toDark') | t"
            [attr.aria-pressed]="theme.theme() === 'dark'">
      {{ theme.theme() === 'dark' ? '☀' : '☾' }}
    </button>
  `,
  styles: `:host { display: inline-flex; gap: .25rem; }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Preferences {
  protected readonly i18n = inject(I18nService);
  protected readonly theme = inject(ThemeService);
}
