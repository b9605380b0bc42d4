import { Injectable, inject, signal } from '@angular/core';
import type { CommandPolicyDto, UpdateCommandPolicyRequest } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../../../core/api/agents.api';
import { loadState } from '../../../shared/load-state';

/** One agent's command policies as the hub rules them, and the command whose change is on its way. */
@Injectable()
export class CommandPoliciesStore {
  private readonly api = inject(AgentsApi);
  private readonly list = signal<readonly CommandPolicyDto[]>([]);
  private readonly busySignal = signal<string | null>(null);
  private readonly state = loadState(false);

  readonly policies = this.list.asReadonly();
  readonly loading = this.state.loading.asReadonly();
  readonly error = this.state.error.asReadonly();
  readonly busy = this.busySignal.asReadonly();

  /** An agent whose card lists no command has no policies: nothing to ask the hub. */
  async load(agentId: number, commandCount: number): Promise<void> {
    if (!commandCount) {
      this.list.set([]);
      return;
    }
    await this.state.fetch(async () => this.list.set(await firstValueFrom(this.api.policies(agentId))));
  }

  async update(p: CommandPolicyDto, change: UpdateCommandPolicyRequest): Promise<void> {
    this.busySignal.set(p.command);
    try {
      await this.state.run(async () => {
        const updated = await firstValueFrom(this.api.updatePolicy(p.agentId, p.command, change));
        this.list.update((list) => list.map((x) => (x.command === updated.command ? updated : x)));
      });
    } finally {
      this.busySignal.set(null);
    }
  }
}
