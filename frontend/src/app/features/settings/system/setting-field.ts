import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { SettingFieldDto } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { FIELD_TEXT, UNIT_TEXT, humanizeMs } from './setting-values';
import { SystemSettingsStore } from './system-settings.store';

/** One runtime setting: its control, where its value comes from, and what the admin may do about it. */
@Component({
  selector: 'ec-setting-field',
  imports: [TranslatePipe, ConfirmButton],
  template: `
    @let f = field();
    @let id = 'setting-' + f.key;
    <div class="head">
      <label [for]="id">{{ label() }}</label>
      <span class="chip source-{{ f.source }}" data-testid="setting-source">{{ sourceKey() | t }}</span>
    </div>
    <div class="control">
      @switch (f.type) {
        @case ('secret') {
          <span class="chip" [class.is-set]="f.set" data-testid="setting-secret-state">{{ (f.set ? 'system.secretSet' : 'system.secretNotSet') | t }}</span>
          @if (editing(); as edit) {
            <form class="inline" (submit)="$event.preventDefault(); store.setSecret(f.key, edit.value)">
              <input [id]="id" type="password" autocomplete="new-password" data-testid="setting-secret-input"
                     [placeholder]="'system.secretNew' | t" [value]="edit.value"
                     #secretInput (input)="store.secretEdit.set({ key: f.key, value: secretInput.value })" />
              <button type="submit" class="primary" data-testid="setting-secret-save" [disabled]="store.saving() || !edit.value.trim()">{{ 'system.secretSave' | t }}</button>
              <button type="button" class="ghost" (click)="store.secretEdit.set(null)">{{ 'common.cancel' | t }}</button>
            </form>
          } @else if (!f.readOnly) {
            <button type="button" data-testid="setting-secret-replace" [disabled]="!store.secretsWritable()"
                    (click)="store.secretEdit.set({ key: f.key, value: '' })">{{ (f.set ? 'system.secretReplace' : 'system.secretAdd') | t }}</button>
            @if (f.set) {
              <ec-confirm-button [label]="'system.secretClear' | t" testId="setting-secret-clear" (confirmed)="store.setSecret(f.key, null)" />
            }
          }
        }
        @case ('boolean') {
          <label class="check"><input [id]="id" type="checkbox" data-testid="setting-input" [disabled]="f.readOnly"
                 [checked]="store.draft(f) === true" #checkbox (change)="store.setDraft(f.key, checkbox.checked)" />
            {{ 'system.enabled' | t }}</label>
        }
        @case ('enum') {
          <select [id]="id" data-testid="setting-input" [disabled]="f.readOnly" #select (change)="store.setDraft(f.key, select.value)">
            @for (o of f.options ?? []; track o) { <option [value]="o" [selected]="store.draft(f) === o">{{ o }}</option> }
          </select>
        }
        @case ('integer') {
          <input [id]="id" class="num" type="text" inputmode="numeric" data-testid="setting-input" [disabled]="f.readOnly" [value]="store.draft(f)" #numberInput (input)="store.setDraft(f.key, numberInput.value)" />
          @if (unit(); as u) { <span class="unit muted">{{ u }}</span> }
          @if (duration(); as d) { <span class="muted" data-testid="setting-duration">= {{ d }}</span> }
        }
        @default {
          <input [id]="id" [type]="f.type === 'url' ? 'url' : 'text'" data-testid="setting-input" [disabled]="f.readOnly"
                 [placeholder]="'system.none' | t" [value]="store.draft(f)" #textInput (input)="store.setDraft(f.key, textInput.value)" />
        }
      }
    </div>
    <p class="help muted">{{ help() }}</p>
    @if (f.type === 'secret') { <p class="help muted">{{ 'system.secretHidden' | t }}</p> }
    @if (f.readOnly) {
      <p class="env-note" data-testid="setting-env-note">{{ 'system.envNote' | t: { env: f.env } }}</p>
    } @else {
      <p class="meta muted">
        @if (f.type !== 'secret') { <span>{{ 'system.default' | t: { value: defaultText() } }}</span> }
        @if (f.source === 'db') {
          <span>@if (f.type !== 'secret') {· }{{ 'system.changedBy' | t: { name: f.updatedBy ?? '—', time: i18n.dateTime(f.updatedAt, true) } }}</span>
          @if (f.type !== 'secret') {
            <button type="button" class="link" data-testid="setting-reset" [disabled]="store.saving()" (click)="store.reset(f.key)">{{ 'system.resetDefault' | t }}</button>
          }
        }
      </p>
      @if (f.type === 'secret' && !store.secretsWritable()) { <p class="warn" data-testid="setting-secrets-readonly">{{ 'system.secretsReadOnly' | t }}</p> }
    }
    @if (f.problem) { <p class="warn" role="status">{{ f.problem }}</p> }
    @if (error(); as e) { <p class="field-error" role="alert" data-testid="setting-error">{{ e }}</p> }
  `,
  styles: `
    :host { display: grid; gap: .25rem; padding: .6rem 0; border-bottom: 1px solid var(--border); }
    :host(:last-of-type) { border-bottom: none; }
    .head { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
    .head label { font-weight: 600; }
    .control { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
    .control input[type='text'], .control input[type='url'] { flex: 1; min-width: 14rem; max-width: 36rem; }
    .control input.num { flex: none; width: 10rem; min-width: 0; }
    .inline { display: inline-flex; gap: .35rem; flex-wrap: wrap; }
    .check { display: inline-flex; gap: .4rem; align-items: center; }
    p { margin: 0; font-size: .86rem; }
    .meta { display: flex; gap: .4rem; flex-wrap: wrap; align-items: baseline; }
    .source-env { background: var(--warning-soft); color: var(--warning-text); border-color: var(--warning); }
    .source-db { background: var(--accent-soft); }
    .is-set { background: var(--success-soft); color: var(--success); }
    .env-note, .warn { background: var(--warning-soft); color: var(--warning-text); padding: .3rem .55rem; border-radius: 6px; }
    .field-error { color: var(--danger); font-weight: 600; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingField {
  protected readonly store = inject(SystemSettingsStore);
  protected readonly i18n = inject(I18nService);
  readonly field = input.required<SettingFieldDto>();

  protected readonly label = computed(() => {
    const text = FIELD_TEXT[this.field().key];
    return text ? this.i18n.t(text.label) : this.field().key;
  });
  protected readonly help = computed(() => {
    const text = FIELD_TEXT[this.field().key];
    return text ? this.i18n.t(text.help) : this.field().description;
  });
  protected readonly sourceKey = computed(
    () =>
      (({ env: 'system.source.env', db: 'system.source.db', default: 'system.source.default' }) as const)[
        this.field().source
      ],
  );
  protected readonly editing = computed(() => {
    const edit = this.store.secretEdit();
    return edit?.key === this.field().key ? edit : null;
  });
  protected readonly error = computed(() => this.store.fieldErrors().get(this.field().key) ?? null);
  /** The edited (or effective) number of milliseconds in words, while it is a whole number. */
  protected readonly duration = computed(() => {
    const f = this.field();
    if (f.unit !== 'ms') return null;
    const n = Number(this.store.draft(f));
    return Number.isInteger(n) && n > 0 ? humanizeMs(n, this.i18n.lang()) : null;
  });
  protected readonly unit = computed(() => {
    const unit = this.field().unit;
    return unit ? (UNIT_TEXT[unit] ? this.i18n.t(UNIT_TEXT[unit]) : unit) : null;
  });
  protected readonly defaultText = computed(() => {
    const f = this.field();
    if (f.default === null) return this.i18n.t('system.none');
    if (typeof f.default === 'boolean') return this.i18n.t(f.default ? 'system.on' : 'system.off');
    if (f.unit === 'ms' && typeof f.default === 'number') return humanizeMs(f.default, this.i18n.lang());
    return this.unit() ? `${f.default} ${this.unit()}` : String(f.default);
  });
}
