import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

export const RULE_DAYS_DEFAULT = 30;

/**
 * How far an "always allow" reaches. Collapsed it reads as the narrow default (exactly this command,
 * anyone, 30 days); an admin opens it to widen the pattern, limit it to the requester or change the expiry.
 */
@Component({
  selector: 'ec-allow-rule-scope',
  imports: [FormsModule, TranslatePipe],
  template: `
    <details class="scope" data-testid="rule-scope">
      <summary>{{ 'rule.summary' | t: { what: pattern().trim() || ('rule.exact' | t), who: (requesterOnly() ? 'rule.thisRequester' : 'rules.anyone') | t, days: days() } }}</summary>
      <fieldset>
        <legend class="sr-only">{{ 'rule.scope' | t }}</legend>
        <label>{{ 'rule.pattern' | t }}
          <input type="text" class="mono" data-testid="rule-pattern" maxlength="2000" [placeholder]="command()"
                 [ngModel]="pattern()" (ngModelChange)="pattern.set($event)" />
        </label>
        <small class="muted">{{ 'rule.patternHelp' | t }}</small>
        <label class="inline"><input type="checkbox" data-testid="rule-requester-only" [ngModel]="requesterOnly()" (ngModelChange)="requesterOnly.set($event)" />
          {{ 'rule.requesterOnly' | t }}</label>
        <label class="inline">{{ 'rule.expiresInDays' | t }}
          <input type="number" data-testid="rule-days" min="1" max="365" step="1" [ngModel]="days()" (ngModelChange)="days.set($event)" />
        </label>
      </fieldset>
    </details>
  `,
  styles: `
    .scope { font-size: .82rem; }
    summary { cursor: pointer; color: var(--muted); }
    fieldset { border: 0; padding: .4rem 0 0; margin: 0; display: flex; flex-direction: column; gap: .35rem; }
    label { display: flex; flex-direction: column; gap: .15rem; }
    label.inline { flex-direction: row; align-items: center; gap: .35rem; }
    input[type='number'] { width: 6rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AllowRuleScopeForm {
  /** The command the rule is made from: the placeholder of the pattern (empty pattern = exactly this). */
  readonly command = input.required<string>();
  readonly pattern = model('');
  readonly requesterOnly = model(false);
  readonly days = model<number>(RULE_DAYS_DEFAULT);
}
