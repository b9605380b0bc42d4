import { Injectable, computed, inject, signal } from '@angular/core';
import type { AuditEntryDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { AuditApi } from '../../../core/api/audit.api';
import { toUiError } from '../../../core/api/api-error';

export const AUDIT_PAGE_SIZE = 25;
/** The target types the hub records today; others that show up in the list are offered too. */
export const KNOWN_TARGET_TYPES = ['user', 'agent', 'rule', 'policy'] as const;

/**
 * Settings → Audit: the admin audit trail, newest first, one page at a time ("older" asks for the page
 * before the last entry shown), optionally for one target type. Scoped to the tab.
 */
@Injectable()
export class AuditTrailStore {
  private readonly api = inject(AuditApi);
  private readonly entriesSignal = signal<readonly AuditEntryDto[]>([]);
  private readonly cursorSignal = signal<number | null>(null);
  private readonly targetTypeSignal = signal<string>('');
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  /** Bumped by every fresh load: an answer for an older filter (or an older page of it) is dropped. */
  private generation = 0;

  readonly entries = this.entriesSignal.asReadonly();
  readonly targetType = this.targetTypeSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly hasOlder = computed(() => this.cursorSignal() !== null);
  /** Filter choices: the known types, plus any other type already seen. */
  readonly targetTypes = computed(() => [
    ...new Set<string>([...KNOWN_TARGET_TYPES, ...this.entriesSignal().map((e) => e.targetType)]),
  ]);

  /** The newest page for the current filter. */
  load(): Promise<void> {
    return this.fetch(false);
  }

  /** The next page back in time, appended. */
  older(): Promise<void> {
    if (this.cursorSignal() === null || this.loadingSignal()) return Promise.resolve();
    return this.fetch(true);
  }

  setTargetType(type: string): Promise<void> {
    if (type === this.targetTypeSignal()) return Promise.resolve();
    this.targetTypeSignal.set(type);
    return this.fetch(false);
  }

  private async fetch(more: boolean): Promise<void> {
    const generation = more ? this.generation : ++this.generation;
    this.loadingSignal.set(true);
    this.errorSignal.set(null);
    try {
      const page = await firstValueFrom(
        this.api.list({
          limit: AUDIT_PAGE_SIZE,
          targetType: this.targetTypeSignal() || undefined,
          before: more ? this.cursorSignal()! : undefined,
        }),
      );
      if (generation !== this.generation) return;
      this.entriesSignal.update((list) => (more ? [...list, ...page.items] : page.items));
      this.cursorSignal.set(page.nextCursor);
    } catch (err) {
      if (generation === this.generation) this.errorSignal.set(toUiError(err).message);
    } finally {
      if (generation === this.generation) this.loadingSignal.set(false);
    }
  }
}
