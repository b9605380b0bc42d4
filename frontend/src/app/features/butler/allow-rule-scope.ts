import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { AllowRuleScope } from '@echocenter/contracts';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

export const RULE_DAYS_DEFAULT = 30;
const RULE_DAYS_MAX = 365;

/** What an approver entered for "always allow", before it becomes the decision's `rule`. */
export interface RuleScopeDraft {
  command: string;
  requesterId: number;
  pattern: string;
  requesterOnly: boolean;
  days: number | string;
}

/**
 * Only what the approver changed from the narrow default (the exact command, anyone, 30 days); null when
 * nothing changed, so the request sends no `rule` and the server applies the default.
 */
export function ruleScope(d: RuleScopeDraft): AllowRuleScope | null {
  const scope: AllowRuleScope = {};
  const pattern = d.pattern.trim();
  if (pattern && pattern !== d.command) scope.pattern = pattern;
  if (d.requesterOnly) scope.requesterId = d.requesterId;
  const days = Math.round(Number(d.days));
  if (Number.isFinite(days) && days !== RULE_DAYS_DEFAULT)
    scope.expiresInDays = Math.min(RULE_DAYS_MAX, Math.max(1, days));
  return Object.keys(scope).length ? scope : null;
}

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
