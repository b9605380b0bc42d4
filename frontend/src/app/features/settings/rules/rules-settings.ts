import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { AllowRuleDto } from '@echocenter/contracts';
import { ClockService } from '../../../core/clock.service';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { RulesSettingsStore } from './rules-settings.store';

// Rules from before scoping end in this token: any arguments (backend allow-rule-pattern.ts).
const ANY_ARGUMENTS = ' …';

/**
 * "Always allow" rules made from approvals: what each covers (pattern, requester, expiry), how often it
 * fired, who made it from which approval. Revoking one brings the approval prompt back.
 */
@Component({
  selector: 'ec-rules-settings',
  imports: [TranslatePipe],
  providers: [RulesSettingsStore],
  template: `
    <section class="panel" data-testid="settings-rules">
      <h2>{{ 'settings.rules' | t }}</h2>
      <p class="muted">{{ 'rules.explain' | t }}</p>
      @if (store.error(); as e) { <p class="error-state" role="alert">{{ e }}</p> }
      <div class="table-wrap" tabindex="0">
      <table>
        <thead>
          <tr>
            <th>{{ 'approval.agent' | t }}</th><th>{{ 'rules.pattern' | t }}</th><th>{{ 'rules.requester' | t }}</th>
            <th>{{ 'rules.expires' | t }}</th><th>{{ 'rules.used' | t }}</th><th>{{ 'rules.madeBy' | t }}</th>
            <th><span class="sr-only">{{ 'common.actions' | t }}</span></th>
          </tr>
        </thead>
        <tbody>
          @for (r of store.rules(); track r.id) {
            <tr data-testid="rule-row" [class.muted]="expired(r)">
              <td>{{ r.agentName }}</td>
              <td>
                <code data-testid="rule-pattern">{{ r.pattern }}</code>
                @if (anyArguments(r)) { <br /><small class="muted">{{ 'rules.anyArguments' | t }}</small> }
              </td>
              <td data-testid="rule-requester">{{ r.requesterName ?? ('rules.anyone' | t) }}</td>
              <td data-testid="rule-expires">
                @if (!r.expiresAt) { {{ 'rules.neverExpires' | t }} }
                @else if (expired(r)) { {{ 'rules.expired' | t }} }
                @else { {{ i18n.dateTime(r.expiresAt, true) }} }
              </td>
              <td data-testid="rule-hits">
                {{ 'rules.hits' | t: { count: r.hits } }}
                @if (r.lastUsedAt) { <br /><small class="muted">{{ 'rules.lastUsed' | t: { time: i18n.dateTime(r.lastUsedAt, true) } }}</small> }
              </td>
              <td data-testid="rule-made-by">
                {{ r.createdByName || '—' }} · <span class="muted">{{ i18n.dateTime(r.createdAt, true) }}</span>
                @if (r.approvalId !== null) { <br /><small class="muted">{{ 'rules.fromApproval' | t: { id: r.approvalId } }}</small> }
              </td>
              <!-- One click: revoking only makes the hub ask again, it never lets anything run. -->
              <td><div class="actions"><button type="button" class="danger" data-testid="rule-revoke" [disabled]="store.revoking() === r.id" (click)="store.revoke(r)">{{ 'rules.revoke' | t }}</button></div></td>
            </tr>
          } @empty {
            <tr><td colspan="7" class="empty-state">{{ (store.loading() ? 'common.loading' : 'rules.none') | t }}</td></tr>
          }
        </tbody>
      </table>
      </div>
    </section>
  `,
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RulesSettings {
  protected readonly store = inject(RulesSettingsStore);
  private readonly clock = inject(ClockService);
  protected readonly i18n = inject(I18nService);

  constructor() {
    this.store.load();
  }

  protected expired(rule: AllowRuleDto): boolean {
    return rule.expiresAt !== null && Date.parse(rule.expiresAt) <= this.clock.now();
  }

  protected anyArguments(rule: AllowRuleDto): boolean {
    return rule.pattern.endsWith(ANY_ARGUMENTS);
  }
}
