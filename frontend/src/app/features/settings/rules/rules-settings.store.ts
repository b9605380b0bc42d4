import { Injectable, inject, signal } from '@angular/core';
import type { AllowRuleDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { ApprovalsApi } from '../../../core/api/approvals.api';
import { loadState } from '../../../shared/load-state';

/** Settings → Rules: the "always allow" rules and the one being revoked. Scoped to the tab. */
@Injectable()
export class RulesSettingsStore {
  private readonly api = inject(ApprovalsApi);
  private readonly list = signal<readonly AllowRuleDto[]>([]);
  private readonly revokingSignal = signal<number | null>(null);
  private readonly state = loadState();

  readonly rules = this.list.asReadonly();
  readonly loading = this.state.loading.asReadonly();
  readonly error = this.state.error.asReadonly();
  /** The rule whose DELETE is on its way: its button stays disabled meanwhile. */
  readonly revoking = this.revokingSignal.asReadonly();

  load(): void {
    this.state.load(this.api.rules(), (rules) => this.list.set(rules));
  }

  /** Revoking only brings the approval prompt back, so it needs no confirmation. */
  async revoke(rule: AllowRuleDto): Promise<void> {
    this.revokingSignal.set(rule.id);
    try {
      await this.state.run(async () => {
        await firstValueFrom(this.api.deleteRule(rule.id));
        this.list.update((list) => list.filter((r) => r.id !== rule.id));
      });
    } finally {
      this.revokingSignal.set(null);
    }
  }
}
