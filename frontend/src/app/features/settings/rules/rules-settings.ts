import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { AllowRuleDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError } from '../../../core/api/api-error';
import { ApprovalsApi } from '../../../core/api/approvals.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';

/** "Always allow" rules created from approval cards; revoking one brings the approval prompt back. */
@Component({
  selector: 'ec-rules-settings',
  imports: [TranslatePipe, ConfirmButton],
  template: `
    <section class="panel" data-testid="settings-rules">
      <h2>{{ 'settings.rules' | t }}</h2>
      <p class="muted">{{ 'rules.explain' | t }}</p>
      @if (error(); as e) { <p class="error-state" role="alert">{{ e }}</p> }
      <table>
        <thead><tr><th>{{ 'approval.agent' | t }}</th><th>{{ 'approval.command' | t }}</th><th>{{ 'rules.created' | t }}</th><th><span class="sr-only">{{ 'common.actions' | t }}</span></th></tr></thead>
        <tbody>
          @for (r of rules(); track r.id) {
            <tr data-testid="rule-row">
              <td>{{ r.agentName }}</td><td><code>{{ r.commandName }}</code></td>
              <td class="muted">{{ i18n.dateTime(r.createdAt, true) }}</td>
              <td><div class="actions"><ec-confirm-button [label]="'rules.revoke' | t" testId="rule-revoke" (confirmed)="revoke(r)" /></div></td>
            </tr>
          } @empty {
            <tr><td colspan="4" class="empty-state">{{ (loading() ? 'common.loading' : 'rules.none') | t }}</td></tr>
          }
        </tbody>
      </table>
    </section>
  `,
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RulesSettings {
  private readonly api = inject(ApprovalsApi);
  protected readonly i18n = inject(I18nService);
  protected readonly rules = signal<readonly AllowRuleDto[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.api.rules().subscribe({
      next: (rules) => {
        this.rules.set(rules);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.error.set(toUiError(err).message);
        this.loading.set(false);
      },
    });
  }

  protected async revoke(rule: AllowRuleDto): Promise<void> {
    this.error.set(null);
    try {
      await firstValueFrom(this.api.deleteRule(rule.id));
      this.rules.update((list) => list.filter((r) => r.id !== rule.id));
    } catch (err) {
      this.error.set(toUiError(err).message);
    }
  }
}
