import { Injectable, computed, inject, signal } from '@angular/core';
import type {
  FieldError,
  SettingFieldDto,
  SettingKey,
  SettingsAuditDto,
  SettingsDto,
  SettingValue,
  TestModelRequest,
  TestModelResponse,
} from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { toUiError, type UiError } from '../../../core/api/api-error';
import { SettingsApi } from '../../../core/api/settings.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { isDirty, parseDraft, patchFor, toDraft, type Draft } from './setting-values';

export type ModelTest =
  { state: 'idle' } | { state: 'running' } | { state: 'done'; model: string | null; result: TestModelResponse };

const AUDIT_PAGE = 20;

/**
 * The System tab's state: settings as the server reports them, the admin's unsaved edits (drafts), per-field
 * errors, the model-connection test and the audit list. Scoped to the tab, so leaving it drops the edits.
 */
@Injectable()
export class SystemSettingsStore {
  private readonly api = inject(SettingsApi);
  private readonly i18n = inject(I18nService);

  private readonly settingsSignal = signal<SettingsDto | null>(null);
  private readonly drafts = signal<ReadonlyMap<SettingKey, Draft>>(new Map());

  readonly loading = signal(false);
  readonly loadError = signal<UiError | null>(null);
  readonly saving = signal(false);
  /** Field key → message, from the console's own checks or the server's `details`. */
  readonly fieldErrors = signal<ReadonlyMap<string, string>>(new Map());
  /** A failure that names no field we show (e.g. the network). */
  readonly saveError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly modelTest = signal<ModelTest>({ state: 'idle' });
  /** A secret being typed: it goes to PATCH (or to the model test) and is dropped once saved or cancelled. */
  readonly secretEdit = signal<{ key: SettingKey; value: string } | null>(null);
  readonly audit = signal<readonly SettingsAuditDto[]>([]);
  readonly auditCursor = signal<number | null>(null);
  readonly auditLoading = signal(false);
  readonly auditError = signal<string | null>(null);

  readonly settings = this.settingsSignal.asReadonly();
  readonly fields = computed(() => this.settingsSignal()?.fields ?? []);
  readonly secretsWritable = computed(() => this.settingsSignal()?.secretsWritable ?? false);
  /** Fields by group, groups in the order the server lists them. */
  readonly groups = computed(() => {
    const groups = new Map<string, SettingFieldDto[]>();
    for (const f of this.fields()) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
    return [...groups].map(([name, fields]) => ({ name, fields }));
  });
  readonly dirtyFields = computed(() => this.fields().filter((f) => isDirty(f, this.drafts().get(f.key))));

  /** What the control shows: the admin's edit, else the effective value. */
  draft(field: SettingFieldDto): Draft {
    return this.drafts().get(field.key) ?? toDraft(field);
  }

  setDraft(key: SettingKey, value: Draft): void {
    this.drafts.update((m) => new Map(m).set(key, value));
    this.clearError(key);
    this.notice.set(null);
  }

  discard(): void {
    this.drafts.set(new Map());
    this.fieldErrors.set(new Map());
    this.saveError.set(null);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.settingsSignal.set(await firstValueFrom(this.api.get()));
    } catch (err) {
      this.loadError.set(toUiError(err));
    } finally {
      this.loading.set(false);
    }
    await this.loadAudit();
  }

  /** Saves every edited field in one PATCH: the server applies all of them or none. */
  async save(): Promise<void> {
    const dirty = this.dirtyFields();
    if (!dirty.length || this.saving()) return;
    const changes: [SettingKey, SettingValue][] = [];
    const errors = new Map<string, string>();
    for (const f of dirty) {
      const parsed = parseDraft(f, this.drafts().get(f.key)!);
      if (parsed.ok) changes.push([f.key, parsed.value]);
      else errors.set(f.key, this.i18n.t(parsed.key, parsed.params));
    }
    this.fieldErrors.set(errors);
    if (errors.size) return;
    // A key typed meanwhile goes along: a new endpoint on another origin needs its key in the same request.
    const typed = this.secretEdit();
    if (typed?.value.trim()) changes.push([typed.key, typed.value.trim()]);
    const ok = await this.patch(changes, this.i18n.t('system.saved'));
    if (ok) {
      this.drafts.set(new Map());
      if (typed) this.secretEdit.set(null);
    }
  }

  /** Replaces a secret (value) or clears it (null). Once stored, the console forgets the value. */
  async setSecret(key: SettingKey, value: string | null): Promise<void> {
    if (value !== null && !value.trim()) return;
    // The server binds the key to the endpoint it is saved with, so an unsaved endpoint edit goes along.
    const endpoint = key === 'butler.apiKey' && value !== null ? this.validEdit('butler.baseUrl') : null;
    const changes: [SettingKey, SettingValue][] = [
      ...(endpoint ? [endpoint] : []),
      [key, value === null ? null : value.trim()],
    ];
    const ok = await this.patch(changes, this.i18n.t(value === null ? 'system.secretCleared' : 'system.secretSaved'));
    if (ok && this.secretEdit()?.key === key) this.secretEdit.set(null);
    if (ok && endpoint) this.drafts.update((m) => new Map([...m].filter(([k]) => k !== endpoint[0])));
  }

  /** An unsaved, valid edit of one field as [key, value], else null. */
  private validEdit(key: SettingKey): [SettingKey, SettingValue] | null {
    const f = this.fields().find((x) => x.key === key);
    const draft = this.drafts().get(key);
    if (!f || draft === undefined || !isDirty(f, draft)) return null;
    const parsed = parseDraft(f, draft);
    return parsed.ok ? [key, parsed.value] : null;
  }

  /** Removes the database value: the field falls back to its default. */
  async reset(key: SettingKey): Promise<void> {
    const ok = await this.patch([[key, null]], this.i18n.t('system.saved'));
    if (ok) this.drafts.update((m) => (m.has(key) ? new Map([...m].filter(([k]) => k !== key)) : m));
  }

  /**
   * Lists the endpoint's models. Unsaved edits of the endpoint and model name are what gets tested, so an admin
   * can check a new endpoint before switching the Butler to it; a key typed for replacement is used likewise.
   */
  async testModel(): Promise<void> {
    const body: TestModelRequest = {};
    const byKey = new Map(this.fields().map((f) => [f.key, f]));
    const edited = (key: SettingKey): string | undefined => {
      const f = byKey.get(key);
      if (!f || !isDirty(f, this.drafts().get(key))) return undefined;
      const parsed = parseDraft(f, this.drafts().get(key)!);
      return parsed.ok && typeof parsed.value === 'string' ? parsed.value : undefined;
    };
    const baseUrl = edited('butler.baseUrl');
    const model = edited('butler.model');
    if (baseUrl) body.baseUrl = baseUrl;
    if (model) body.model = model;
    const typedKey = this.secretEdit();
    if (typedKey?.key === 'butler.apiKey' && typedKey.value.trim()) body.apiKey = typedKey.value.trim();
    const tested = model ?? (byKey.get('butler.model')?.value as string | null | undefined) ?? null;
    this.modelTest.set({ state: 'running' });
    try {
      const result = await firstValueFrom(this.api.testModel(body));
      this.modelTest.set({ state: 'done', model: tested, result });
    } catch (err) {
      // A refused request (e.g. no endpoint at all) reads like a failed connection: one place for the answer.
      this.modelTest.set({ state: 'done', model: tested, result: { ok: false, error: toUiError(err).message } });
    }
  }

  /** First page, or the next older one with `more`. */
  async loadAudit(more = false): Promise<void> {
    if (this.auditLoading()) return;
    const before = more ? (this.auditCursor() ?? undefined) : undefined;
    if (more && before === undefined) return;
    this.auditLoading.set(true);
    this.auditError.set(null);
    try {
      const page = await firstValueFrom(this.api.audit(before, AUDIT_PAGE));
      this.audit.update((list) => (more ? [...list, ...page.items] : page.items));
      this.auditCursor.set(page.nextCursor);
    } catch (err) {
      this.auditError.set(toUiError(err).message);
    } finally {
      this.auditLoading.set(false);
    }
  }

  private async patch(changes: [SettingKey, SettingValue][], done: string): Promise<boolean> {
    this.saving.set(true);
    this.saveError.set(null);
    this.notice.set(null);
    try {
      this.settingsSignal.set(await firstValueFrom(this.api.patch(patchFor(changes))));
      this.notice.set(done);
      void this.loadAudit();
      return true;
    } catch (err) {
      this.showErrors(
        toUiError(err),
        changes.map(([k]) => k),
      );
      return false;
    } finally {
      this.saving.set(false);
    }
  }

  /** Field details go next to their fields; anything else (or a detail for a field not on screen) above the form. */
  private showErrors(err: UiError, keys: SettingKey[]): void {
    const details: FieldError[] = err.details ?? [];
    if (!details.length) {
      // A one-field action (a key, a reset) that failed for any reason says so next to that field.
      if (keys.length === 1) this.fieldErrors.set(new Map([[keys[0], err.message]]));
      else this.saveError.set(err.message);
      return;
    }
    const known = new Set<string>(this.fields().map((f) => f.key));
    this.fieldErrors.set(new Map(details.filter((d) => known.has(d.field)).map((d) => [d.field, d.message])));
    const unplaced = details.filter((d) => !known.has(d.field));
    if (unplaced.length) this.saveError.set(unplaced.map((d) => `${d.field}: ${d.message}`).join('; '));
  }

  private clearError(key: string): void {
    if (!this.fieldErrors().has(key)) return;
    this.fieldErrors.update((m) => new Map([...m].filter(([k]) => k !== key)));
  }
}
