import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import type { SshKeyDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { OpsApi } from '../../../core/api/ops.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';

/**
 * The SSH key vault: add a private key or generate an ed25519 pair. Only the public key and its
 * fingerprint ever come back; the pasted key is cleared from the form as soon as it is sent.
 */
@Component({
  selector: 'ec-ssh-keys-settings',
  imports: [TranslatePipe, ReactiveFormsModule, ConfirmButton],
  template: `
    <section class="panel" data-testid="settings-ssh-keys">
      <h2>{{ 'ops.keys.add' | t }}</h2>
      <p class="muted">{{ 'ops.keys.explain' | t }}</p>
      <form class="stack-form" [formGroup]="form" (ngSubmit)="add(false)">
        <input formControlName="name" data-testid="key-name" autocomplete="off" [placeholder]="'ops.keys.name' | t" [attr.aria-label]="'ops.keys.name' | t" />
        <textarea formControlName="privateKey" data-testid="key-private" rows="4" spellcheck="false" autocomplete="off"
                  [placeholder]="'ops.keys.private' | t" [attr.aria-label]="'ops.keys.private' | t"></textarea>
        <input formControlName="passphrase" type="password" data-testid="key-passphrase" autocomplete="off" [placeholder]="'ops.keys.passphrase' | t" [attr.aria-label]="'ops.keys.passphrase' | t" />
        <div class="actions start">
          <button type="submit" class="primary" data-testid="key-add" [disabled]="busy() || !form.value.name?.trim() || !form.value.privateKey?.trim()">{{ 'ops.keys.addButton' | t }}</button>
          <button type="button" data-testid="key-generate" [disabled]="busy() || !form.value.name?.trim()" (click)="add(true)">{{ 'ops.keys.generate' | t }}</button>
        </div>
      </form>
      @if (error(); as e) { <p class="error-state" role="alert" data-testid="keys-error">{{ e }}</p> }
    </section>
    <section class="panel">
      <h2>{{ 'settings.sshKeys' | t }}</h2>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th>{{ 'ops.keys.name' | t }}</th><th>{{ 'ops.keys.public' | t }}</th><th>{{ 'ops.keys.usedBy' | t }}</th><th><span class="sr-only">{{ 'common.actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (k of keys(); track k.id) {
              <tr data-testid="key-row" [attr.data-key-name]="k.name">
                <td><strong>{{ k.name }}</strong><div class="muted"><small>{{ k.createdByName }} · {{ i18n.dateTime(k.createdAt, true) }}</small></div></td>
                <td><code class="mono wrap" data-testid="key-fingerprint">{{ k.fingerprint }}</code><details><summary>{{ 'ops.keys.showPublic' | t }}</summary><code class="mono wrap" data-testid="key-public">{{ k.publicKey }}</code></details></td>
                <td>{{ k.usedBy.length ? k.usedBy.join(', ') : '—' }}</td>
                <td><div class="actions"><ec-confirm-button [label]="'common.delete' | t" testId="key-delete" [disabled]="k.usedBy.length > 0" (confirmed)="remove(k)" /></div></td>
              </tr>
            } @empty {
              <tr><td colspan="4" class="empty-state">{{ (loading() ? 'common.loading' : 'ops.keys.none') | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SshKeysSettings {
  private readonly api = inject(OpsApi);
  protected readonly i18n = inject(I18nService);
  protected readonly keys = signal<readonly SshKeyDto[]>([]);
  private readonly state = loadState();
  protected readonly loading = this.state.loading;
  protected readonly busy = signal(false);
  protected readonly error = this.state.error;
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true }),
    privateKey: new FormControl('', { nonNullable: true }),
    passphrase: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    this.state.load(this.api.keys(), (keys) => this.keys.set(keys));
  }

  protected async add(generate: boolean): Promise<void> {
    const { name, privateKey, passphrase } = this.form.getRawValue();
    this.busy.set(true);
    try {
      await this.state.run(async () => {
        const body = generate
          ? { name: name.trim(), generate: true }
          : { name: name.trim(), privateKey, ...(passphrase ? { passphrase } : {}) };
        const key = await firstValueFrom(this.api.addKey(body));
        this.keys.update((list) => [...list, key]);
        this.form.reset();
      });
    } finally {
      // The secret leaves the page either way: a failed paste is pasted again, not kept around.
      this.form.controls.privateKey.reset();
      this.form.controls.passphrase.reset();
      this.busy.set(false);
    }
  }

  protected async remove(key: SshKeyDto): Promise<void> {
    await this.state.run(async () => {
      await firstValueFrom(this.api.deleteKey(key.id));
      this.keys.update((list) => list.filter((k) => k.id !== key.id));
    });
  }
}
