import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { I18nService } from '../i18n/i18n.service';
import { TranslatePipe } from '../i18n/translate.pipe';
import { ThemeService } from '../theme/theme.service';
import { Icon } from '../../shared/icon';

/** Language and theme switches, shown in the top bar and on the login page. */
@Component({
  selector: 'ec-preferences',
  imports: [TranslatePipe, Icon],
  template: `
    <!-- The accessible name starts with the visible label (WCAG 2.5.3), then says what the button does. -->
    <button type="button" class="ghost" data-testid="lang-toggle" (click)="i18n.toggle()"
            [attr.aria-label]="'prefs.languageName' | t: { lang: otherLang() }">
      <span [attr.lang]="i18n.lang() === 'en' ? 'zh-CN' : 'en'">{{ otherLang() }}</span>
    </button>
    <button type="button" class="ghost" data-testid="theme-toggle" (click)="theme.toggle()"
            [attr.aria-label]="(theme.theme() === 'dark' ? 'prefs.toLight' : 'prefs.toDark') | t"
            [attr.aria-pressed]="theme.theme() === 'dark'">
      <ec-icon [name]="theme.theme() === 'dark' ? 'sun' : 'moon'" />
    </button>
  `,
  styles: `:host { display: inline-flex; gap: .25rem; }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Preferences {
  protected readonly i18n = inject(I18nService);
  protected readonly theme = inject(ThemeService);
  protected readonly otherLang = computed(() => (this.i18n.lang() === 'en' ? '中文' : 'EN'));
}
