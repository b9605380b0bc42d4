import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { SettingsAuditDto, SettingValue } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { FIELD_TEXT } from './setting-values';
import { SystemSettingsStore } from './system-settings.store';

/** Who changed which setting when, old → new; the server masks secrets, the console shows what it gets. */
@Component({
  selector: 'ec-settings-audit',
  imports: [TranslatePipe],
  template: `
    <section class="panel" data-testid="settings-audit">
      <h2>{{ 'system.auditTitle' | t }}</h2>
      @if (store.auditError(); as e) { <p class="error-state" role="alert">{{ e }}</p> }
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th>{{ 'system.auditWhen' | t }}</th><th>{{ 'system.auditWho' | t }}</th><th>{{ 'system.auditField' | t }}</th><th>{{ 'system.auditChange' | t }}</th></tr></thead>
          <tbody>
            @for (a of store.audit(); track a.id) {
              <tr data-testid="audit-row" [attr.data-key]="a.key" [attr.data-action]="a.action">
                <td class="muted nowrap">{{ i18n.dateTime(a.createdAt, true) }}</td>
                <td>{{ a.actorName }}</td>
                <td>{{ label(a) }} <small class="muted mono">{{ a.key }}</small></td>
                <td><span class="chip">{{ actionKey[a.action] | t }}</span>
                  <code class="mono">{{ show(a.oldValue) }}</code> → <code class="mono">{{ show(a.newValue) }}</code></td>
              </tr>
            } @empty {
              <tr><td colspan="4" class="empty-state">{{ (store.auditLoading() ? 'common.loading' : 'system.auditNone') | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.auditCursor() !== null) {
        <button type="button" class="link" data-testid="audit-older" [disabled]="store.auditLoading()" (click)="store.loadAudit(true)">{{ 'system.auditOlder' | t }}</button>
      }
    </section>
  `,
  styles: `
    .table-wrap { overflow-x: auto; }
    .nowrap { white-space: nowrap; }
    code { overflow-wrap: anywhere; }
    .chip { margin-right: .4rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsAudit {
  protected readonly store = inject(SystemSettingsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly actionKey = {
    set: 'system.action.set',
    changed: 'system.action.changed',
    cleared: 'system.action.cleared',
  } as const;

  protected label(a: SettingsAuditDto): string {
    const text = FIELD_TEXT[a.key];
    return text ? this.i18n.t(text.label) : a.key;
  }

  /** null is "no stored value" (the default applied), not an empty string. */
  protected show(v: SettingValue): string {
    return v === null ? this.i18n.t('system.auditNoValue') : String(v);
  }
}
