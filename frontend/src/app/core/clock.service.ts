import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** One shared 1 s tick for countdowns and "x min ago" labels, instead of a timer per component. */
@Injectable({ providedIn: 'root' })
export class ClockService {
  private readonly nowSignal = signal(Date.now());
  readonly now = this.nowSignal.asReadonly();

  constructor() {
    const id = setInterval(() => this.nowSignal.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(id));
  }
}
