import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { AuditEntryDto } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { TARGET_TYPE_TEXT, actionText, detailLines, visible } from './audit-text';
import { AuditTrailStore } from './audit-trail.store';

/** Settings → Audit: who did what to which user, agent, rule or policy, newest first. */
@Component({
  selector: 'ec-audit-trail',
  imports: [TranslatePipe],
  providers: [AuditTrailStore],
  template: `
    <section class="panel" data-testid="audit-trail">
      <h2>{{ 'audit.title' | t }}</h2>
      <p class="muted">{{ 'audit.explain' | t }}</p>
      <div class="row-form">
        <label for="audit-type">{{ 'audit.filterType' | t }}</label>
        <select id="audit-type" #type data-testid="audit-filter-type" (change)="store.setTargetType(type.value)">
          <option value="" [selected]="store.targetType() === ''">{{ 'audit.typeAll' | t }}</option>
          @for (tt of store.targetTypes(); track tt) {
            <option [value]="tt" [selected]="store.targetType() === tt">{{ typeLabel(tt) }}</option>
          }
        </select>
      </div>
      @if (store.error(); as e) { <p class="error-state" role="alert">{{ e }}</p> }
      <div class="table-wrap" tabindex="0">
        <table>
          <thead>
            <tr><th>{{ 'audit.when' | t }}</th><th>{{ 'audit.who' | t }}</th><th>{{ 'audit.action' | t }}</th><th>{{ 'audit.target' | t }}</th><th>{{ 'audit.details' | t }}</th></tr>
          </thead>
          <tbody>
            @for (e of store.entries(); track e.id) {
              <tr data-testid="audit-entry" [attr.data-action]="e.action" [attr.data-target-type]="e.targetType">
                <td class="muted nowrap">{{ i18n.dateTime(e.createdAt, true) }}</td>
                <td>{{ show(e.actorName) }}@if (e.actorId === null) { <small class="muted"> ({{ 'audit.system' | t }})</small> }</td>
                <td>{{ actionLabel(e) }} <small class="muted mono">{{ e.action }}</small></td>
                <td><span class="chip">{{ typeLabel(e.targetType) }}</span> {{ e.targetName === null ? '' : show(e.targetName) }}@if (e.targetId !== null) { <small class="muted"> #{{ e.targetId }}</small> }</td>
                <td>@for (line of details(e); track $index) { <div class="mono detail">{{ line }}</div> }</td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="empty-state">{{ (store.loading() ? 'common.loading' : 'audit.none') | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.hasOlder()) {
        <button type="button" class="link" data-testid="audit-trail-older" [disabled]="store.loading()" (click)="store.older()">{{ 'audit.older' | t }}</button>
      }
    </section>
  `,
  styleUrl: '../settings.css',
  styles: `
    .nowrap { white-space: nowrap; }
    .detail { font-size: .85rem; overflow-wrap: anywhere; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditTrail {
  protected readonly store = inject(AuditTrailStore);
  protected readonly i18n = inject(I18nService);

  constructor() {
    void this.store.load();
  }

  protected actionLabel(e: AuditEntryDto): string {
    const key = actionText(e.action);
    return key ? this.i18n.t(key) : '';
  }

  protected typeLabel(type: string): string {
    const key = TARGET_TYPE_TEXT[type];
    return key ? this.i18n.t(key) : visible(type);
  }

  protected show(text: string): string {
    return visible(text);
  }

  protected details(e: AuditEntryDto): string[] {
    return detailLines(e.details);
  }
}
