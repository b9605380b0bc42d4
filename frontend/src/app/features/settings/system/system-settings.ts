import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ModelTestPanel } from './model-test';
import { SettingField } from './setting-field';
import { GROUP_TEXT } from './setting-values';
import { SettingsAudit } from './settings-audit';
import { SystemSettingsStore } from './system-settings.store';

/** Settings → System: the runtime settings (issue 9), grouped, with one Save for every edited field. */
@Component({
  selector: 'ec-system-settings',
  imports: [TranslatePipe, SettingField, ModelTestPanel, SettingsAudit],
  providers: [SystemSettingsStore],
  templateUrl: './system-settings.html',
  styleUrl: './system-settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SystemSettings {
  protected readonly store = inject(SystemSettingsStore);
  private readonly i18n = inject(I18nService);
  protected readonly dirtyCount = computed(() => this.store.dirtyFields().length);

  constructor() {
    void this.store.load();
  }

  protected groupLabel(name: string): string {
    return GROUP_TEXT[name] ? this.i18n.t(GROUP_TEXT[name]) : name;
  }
}
