import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AgentDto, AgentWithTokenDto, PolicyReviewEvent } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../../../core/api/agents.api';
import { AgentsStore } from '../../../core/data/agents.store';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { SocketService } from '../../../core/realtime/socket.service';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';
import { AddMcpServer } from './add-mcp-server';
import { CommandPolicies } from './command-policies';
import { TokenReveal } from './token-reveal';

/** Agent registry: register (token shown once), rotate, delete, test a token, rule each command of the card. */
@Component({
  selector: 'ec-agents-settings',
  imports: [TranslatePipe, ConfirmButton, TokenReveal, CommandPolicies, AddMcpServer],
  templateUrl: './agents-settings.html',
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgentsSettings {
  private readonly api = inject(AgentsApi);
  protected readonly store = inject(AgentsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly name = signal('');
  protected readonly description = signal('');
  protected readonly issued = signal<AgentWithTokenDto | null>(null);
  private readonly state = loadState(false);
  protected readonly error = this.state.error;
  protected readonly openCard = signal<number | null>(null);
  protected readonly testToken = signal('');
  protected readonly testResult = signal<boolean | null>(null);
  /** Card changes that undid a confirmation while this page was open (newest first, a few). */
  protected readonly reviews = signal<PolicyReviewEvent[]>([]);

  constructor() {
    this.store.load(true);
    inject(SocketService).policyReview$.pipe(takeUntilDestroyed()).subscribe((r) => this.reviews.update((list) => [r, ...list].slice(0, 5)));
  }

  protected needsReview(a: AgentDto): boolean {
    return a.commands.some((c) => c.needsReview);
  }

  protected async register(): Promise<void> {
    const name = this.name().trim();
    if (!name) return;
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.register({ name, ...(this.description().trim() ? { description: this.description().trim() } : {}) }));
      this.store.upsert(res.agent);
      this.issued.set(res);
      this.name.set('');
      this.description.set('');
    });
  }

  protected async rotate(id: number): Promise<void> {
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.rotateToken(id));
      this.store.upsert(res.agent);
      this.issued.set(res);
    });
  }

  protected async remove(id: number): Promise<void> {
    await this.state.run(async () => {
      await firstValueFrom(this.api.remove(id));
      this.store.remove(id);
      if (this.issued()?.agent.id === id) this.issued.set(null);
    });
  }

  protected async test(): Promise<void> {
    const token = this.testToken().trim();
    if (!token) return;
    this.testResult.set(null);
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.testConnection(token));
      this.testResult.set(res.valid);
    });
  }
}
