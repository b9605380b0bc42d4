import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import type { AgentDto, CommandPolicy } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import type { MessageKey } from '../../../core/i18n/messages.en';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { CommandPoliciesStore } from './command-policies.store';

export const POLICY_KEY: Record<CommandPolicy, MessageKey> = {
  READ_ONLY: 'policy.READ_ONLY',
  NEEDS_APPROVAL: 'policy.NEEDS_APPROVAL',
  DESTRUCTIVE: 'policy.DESTRUCTIVE',
};

/**
 * An agent's commands as the hub rules them: the card's claim beside the effective policy, and the
 * admin's controls (confirm or revoke read-only, mark destructive). Reloads whenever the card changes,
 * which is also how a policy change made in another tab arrives (the hub pushes `agent:card`).
 */
@Component({
  selector: 'ec-command-policies',
  imports: [TranslatePipe, ConfirmButton],
  providers: [CommandPoliciesStore],
  template: `
    <p class="muted hint">{{ 'policy.hint' | t }}</p>
    @if (store.error(); as e) { <p class="error-state" role="alert" data-testid="policy-error">{{ e }}</p> }
    <ul class="policies" data-testid="agent-card">
      @for (p of store.policies(); track p.command) {
        <li data-testid="command-policy" [attr.data-command]="p.command">
          <div class="line">
            <code>{{ p.command }}@if (p.args) { {{ p.args }} }</code>
            <span class="chip" data-testid="policy-effective" [class.read-only]="p.policy === 'READ_ONLY'" [class.destructive]="p.policy === 'DESTRUCTIVE'">{{ policyKey[p.policy] | t }}</span>
            <small class="muted" data-testid="policy-claim">{{ (p.claimsReadOnly ? 'policy.claimsReadOnly' : 'policy.noClaim') | t }}</small>
            @if (p.needsReview) {
              <span class="chip review" data-testid="policy-needs-review">{{ 'policy.needsReview' | t }}</span>
              <small class="review-reason">{{ p.reviewReason }}</small>
            }
          </div>
          @if (p.description) { <div class="muted">{{ p.description }}</div> }
          @if (schemaOf(p.command); as schema) {
            <details data-testid="policy-args-schema"><summary>{{ 'mcp.schema' | t }}</summary><pre>{{ schema }}</pre></details>
          }
          <div class="line">
            @if (p.decidedByName && p.decidedAt) {
              <small class="muted">{{ 'policy.decidedBy' | t: { name: p.decidedByName, time: i18n.dateTime(p.decidedAt, true) } }}</small>
            }
            <span class="actions">
              @if (p.readOnlyConfirmed) {
                <button type="button" data-testid="policy-revoke" [disabled]="store.busy() === p.command" (click)="store.update(p, { readOnly: false })">{{ 'policy.revoke' | t }}</button>
              } @else if (p.claimsReadOnly && !p.destructive) {
                <ec-confirm-button [label]="'policy.confirm' | t" testId="policy-confirm" [disabled]="store.busy() === p.command" (confirmed)="store.update(p, { readOnly: true })" />
              }
              @if (p.destructive) {
                <button type="button" data-testid="policy-undestructive" [disabled]="store.busy() === p.command" (click)="store.update(p, { destructive: false })">{{ 'policy.unmarkDestructive' | t }}</button>
              } @else {
                <button type="button" data-testid="policy-destructive" [disabled]="store.busy() === p.command" (click)="store.update(p, { destructive: true })">{{ 'policy.markDestructive' | t }}</button>
              }
            </span>
          </div>
        </li>
      } @empty {
        <li class="muted">{{ (store.loading() ? 'common.loading' : 'agentsAdmin.noCard') | t }}</li>
      }
    </ul>
  `,
  styles: `
    .hint { margin: .3rem 0; font-size: .82rem; }
    .policies { list-style: none; margin: .3rem 0 0; padding: 0; display: flex; flex-direction: column; gap: .45rem; font-size: .88rem; }
    .policies > li { border-left: 3px solid var(--border); padding-left: .5rem; }
    .line { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
    .actions { display: inline-flex; gap: .3rem; margin-left: auto; }
    .chip.read-only { color: var(--success); }
    .chip.destructive, .chip.review, .review-reason { color: var(--danger); }
    details pre { margin: .2rem 0; max-height: 16rem; overflow: auto; font-size: .78rem; background: var(--surface-2, transparent); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CommandPolicies {
  protected readonly store = inject(CommandPoliciesStore);
  protected readonly i18n = inject(I18nService);
  readonly agent = input.required<AgentDto>();
  protected readonly policyKey = POLICY_KEY;

  constructor() {
    effect(() => {
      const { id, commands } = this.agent();
      untracked(() => void this.store.load(id, commands.length));
    });
  }

  /** An MCP tool's input schema (from the card), pretty-printed; null for commands with a free-form args hint. */
  protected schemaOf(command: string): string | null {
    const schema = this.agent().commands.find((c) => c.name === command)?.argsSchema;
    return schema ? JSON.stringify(schema, null, 2) : null;
  }
}
