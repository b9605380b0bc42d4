import { Injectable, inject, signal } from '@angular/core';
import type { UsageReportDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError } from '../../../core/api/api-error';
import { UsageApi } from '../../../core/api/usage.api';

/** Settings → Usage: the report for a range of UTC days (the hub's default: the last 30). Scoped to the tab. */
@Injectable()
export class UsageReportStore {
  private readonly api = inject(UsageApi);
  private readonly reportSignal = signal<UsageReportDto | null>(null);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  /** Bumped by every load: the answer for an older range is dropped. */
  private generation = 0;

  readonly report = this.reportSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();

  async load(range: { from?: string; to?: string } = {}): Promise<void> {
    const generation = ++this.generation;
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    try {
      const report = await firstValueFrom(this.api.report(range));
      if (generation === this.generation) this.reportSignal.set(report);
    } catch (err) {
      if (generation === this.generation) this.errorSignal.set(toUiError(err).message);
    } finally {
      if (generation === this.generation) this.loadingSignal.set(false);
    }
  }
}
