import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import type { AgentDto, CommandPolicy, CommandPolicyDto, UpdateCommandPolicyRequest } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../../../core/api/agents.api';
import { toUiError } from '../../../core/api/api-error';
import { I18nService } from '../../../core/i18n/i18n.service';
import type { MessageKey } from '../../../core/i18n/messages.en';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';

export const POLICY_KEY: Record<CommandPolicy, MessageKey> = { READ_ONLY: 'policy.READ_ONLY', NEEDS_APPROVAL: 'policy.NEEDS_APPROVAL', DESTRUCTIVE: 'policy.DESTRUCTIVE' };

/**
 * An agent's commands as the hub rules them: the card's claim beside the effective policy, and the
 * admin's controls (confirm or revoke read-only, mark destructive). Reloads whenever the card changes,
 * which is also how a policy change made in another tab arrives (the hub pushes `agent:card`).
 */
@Component({
  selector: 'ec-command-policies',
  imports: [TranslatePipe, ConfirmButton],
  template: `
    <p class="muted hint">{{ 'policy.hint' | t }}</p>
    @if (error(); as e) { <p class="error-state" role="alert" data-testid="policy-error">{{ e }}</p> }
    <ul class="policies" data-testid="agent-card">
      @for (p of policies(); track p.command) {
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
                <button type="button" data-testid="policy-revoke" [disabled]="busy() === p.command" (click)="update(p, { readOnly: false })">{{ 'policy.revoke' | t }}</button>
              } @else if (p.claimsReadOnly && !p.destructive) {
                <ec-confirm-button [label]="'policy.confirm' | t" testId="policy-confirm" [disabled]="busy() === p.command" (confirmed)="update(p, { readOnly: true })" />
              }
              @if (p.destructive) {
                <button type="button" data-testid="policy-undestructive" [disabled]="busy() === p.command" (click)="update(p, { destructive: false })">{{ 'policy.unmarkDestructive' | t }}</button>
              } @else {
                <button type="button" data-testid="policy-destructive" [disabled]="busy() === p.command" (click)="update(p, { destructive: true })">{{ 'policy.markDestructive' | t }}</button>
              }
            </span>
          </div>
        </li>
      } @empty {
        <li class="muted">{{ (loading() ? 'common.loading' : 'agentsAdmin.noCard') | t }}</li>
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
  private readonly api = inject(AgentsApi);
  protected readonly i18n = inject(I18nService);
  readonly agent = input.required<AgentDto>();
  protected readonly policyKey = POLICY_KEY;
  protected readonly policies = signal<CommandPolicyDto[]>([]);
  private readonly state = loadState(false);
  protected readonly loading = this.state.loading;
  protected readonly error = this.state.error;
  protected readonly busy = signal<string | null>(null);

  constructor() {
    effect(() => {
      const { id, commands } = this.agent();
      untracked(() => void this.load(id, commands.length));
    });
  }

  /** An MCP tool's input schema (from the card), pretty-printed; null for commands with a free-form args hint. */
  protected schemaOf(command: string): string | null {
    const schema = this.agent().commands.find((c) => c.name === command)?.argsSchema;
    return schema ? JSON.stringify(schema, null, 2) : null;
  }

  protected async update(p: CommandPolicyDto, change: UpdateCommandPolicyRequest): Promise<void> {
    this.busy.set(p.command);
    try {
      await this.state.run(async () => {
        const updated = await firstValueFrom(this.api.updatePolicy(p.agentId, p.command, change));
        this.policies.update((list) => list.map((x) => (x.command === updated.command ? updated : x)));
      });
    } finally {
      this.busy.set(null);
    }
  }

  private async load(id: number, commandCount: number): Promise<void> {
    if (!commandCount) {
      this.policies.set([]);
      return;
    }
    this.loading.set(true);
    try {
      this.policies.set(await firstValueFrom(this.api.policies(id)));
      this.error.set(null);
    } catch (err) {
      this.error.set(toUiError(err).message);
    } finally {
      this.loading.set(false);
    }
  }
}
