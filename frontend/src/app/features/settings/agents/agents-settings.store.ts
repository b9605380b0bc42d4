import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AgentWithTokenDto, PolicyReviewEvent } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AgentsApi } from '../../../core/api/agents.api';
import { AgentsStore } from '../../../core/data/agents.store';
import { SocketService } from '../../../core/realtime/socket.service';
import { loadState } from '../../../shared/load-state';

const REVIEWS_SHOWN = 5;

/**
 * Settings → Agents: the registration form, the token just issued (shown once), the open command card, the
 * token test, and card changes that undid a confirmation while the tab was open. The agents themselves are
 * the fleet store's: changes made here go into it, so every page sees them.
 */
@Injectable()
export class AgentsSettingsStore {
  private readonly api = inject(AgentsApi);
  private readonly fleet = inject(AgentsStore);
  private readonly state = loadState(false);
  private readonly reviewsSignal = signal<readonly PolicyReviewEvent[]>([]);
  private readonly testResultSignal = signal<boolean | null>(null);

  readonly name = signal('');
  readonly description = signal('');
  readonly issued = signal<AgentWithTokenDto | null>(null);
  readonly error = this.state.error.asReadonly();
  /** The agent whose command card is open. */
  readonly openCard = signal<number | null>(null);
  readonly testToken = signal('');
  /** Whether the hub took the tested token; null until a test answered (and again once the token is edited). */
  readonly testResult = this.testResultSignal.asReadonly();
  /** Newest first, a few. */
  readonly reviews = this.reviewsSignal.asReadonly();

  constructor() {
    inject(SocketService)
      .policyReview$.pipe(takeUntilDestroyed())
      .subscribe((r) => this.reviewsSignal.update((list) => [r, ...list].slice(0, REVIEWS_SHOWN)));
  }

  /** Fetches the fleet afresh: an admin page must not show a list that missed a change. */
  load(): void {
    this.fleet.load(true);
  }

  toggleCard(id: number): void {
    this.openCard.update((open) => (open === id ? null : id));
  }

  setTestToken(token: string): void {
    this.testToken.set(token);
    this.testResultSignal.set(null);
  }

  async register(): Promise<void> {
    const name = this.name().trim();
    if (!name) return;
    const description = this.description().trim();
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.register({ name, ...(description ? { description } : {}) }));
      this.fleet.upsert(res.agent);
      this.issued.set(res);
      this.name.set('');
      this.description.set('');
    });
  }

  async rotate(id: number): Promise<void> {
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.rotateToken(id));
      this.fleet.upsert(res.agent);
      this.issued.set(res);
    });
  }

  async remove(id: number): Promise<void> {
    await this.state.run(async () => {
      await firstValueFrom(this.api.remove(id));
      this.fleet.remove(id);
      if (this.issued()?.agent.id === id) this.issued.set(null);
    });
  }

  async test(): Promise<void> {
    const token = this.testToken().trim();
    if (!token) return;
    this.testResultSignal.set(null);
    await this.state.run(async () => {
      const res = await firstValueFrom(this.api.testConnection(token));
      this.testResultSignal.set(res.valid);
    });
  }
}
