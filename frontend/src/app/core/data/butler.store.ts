import { Injectable, inject, signal } from '@angular/core';
import type { ButlerDto } from '@echocenter/contracts';
import { ButlerApi } from '../api/butler.api';

/** Who the Butler is (its actor id is needed to talk to it); fetched once per session. */
@Injectable()
export class ButlerStore {
  private readonly api = inject(ButlerApi);
  private readonly butlerSignal = signal<ButlerDto | null>(null);
  private requested = false;

  readonly butler = this.butlerSignal.asReadonly();

  load(): void {
    if (this.requested) return;
    this.requested = true;
    this.api.butler().subscribe({ next: (b) => this.butlerSignal.set(b), error: () => (this.requested = false) });
  }

  /**
   * Asks again while a model's tools are not known yet (the hub learns it at the model's first answer),
   * so the Butler page says "no tools" once the model has refused them; keeps the current view meanwhile.
   */
  refreshIfUnsettled(): void {
    const b = this.butlerSignal();
    if (!b || b.brain === 'offline' || b.modelTools !== null) return this.load();
    this.api.butler().subscribe({ next: (fresh) => this.butlerSignal.set(fresh), error: () => undefined });
  }
}
