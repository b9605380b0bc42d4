import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import type { NodeTestResult, OpsNodeDto, SshKeyDto } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { OpsApi } from '../../../core/api/ops.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';

/**
 * The node inventory: add a node, test it (a real SSH handshake), and pin the host key the test showed
 * once the admin has compared it with the machine's own. A changed key shows as a mismatch to re-confirm.
 */
@Component({
  selector: 'ec-nodes-settings',
  imports: [TranslatePipe, ReactiveFormsModule, ConfirmButton],
  template: `
    <section class="panel" data-testid="settings-nodes">
      <h2>{{ (editing() ? 'ops.nodes.edit' : 'ops.nodes.add') | t: { name: editing()?.name ?? '' } }}</h2>
      <p class="muted">{{ 'ops.nodes.explain' | t }}</p>
      <form class="row-form" [formGroup]="form" (ngSubmit)="add()">
        <input formControlName="name" data-testid="node-name" autocomplete="off" [placeholder]="'ops.nodes.name' | t" [attr.aria-label]="'ops.nodes.name' | t" />
        <input formControlName="host" data-testid="node-host" autocomplete="off" [placeholder]="'ops.nodes.host' | t" [attr.aria-label]="'ops.nodes.host' | t" />
        <input formControlName="port" data-testid="node-port" type="number" min="1" max="65535" class="narrow" [attr.aria-label]="'ops.nodes.port' | t" />
        <input formControlName="username" data-testid="node-user" autocomplete="off" [placeholder]="'ops.nodes.user' | t" [attr.aria-label]="'ops.nodes.user' | t" />
        <select formControlName="keyId" data-testid="node-key" [attr.aria-label]="'ops.nodes.key' | t">
          <option [ngValue]="null" disabled>{{ 'ops.nodes.key' | t }}</option>
          @for (k of keys(); track k.id) { <option [ngValue]="k.id">{{ k.name }}</option> }
        </select>
        <input formControlName="tags" data-testid="node-tags" autocomplete="off" [placeholder]="'ops.nodes.tags' | t" [attr.aria-label]="'ops.nodes.tags' | t" />
        <button type="submit" class="primary" data-testid="node-add" [disabled]="!canAdd()">{{ (editing() ? 'ops.nodes.save' : 'ops.nodes.addButton') | t }}</button>
        @if (editing()) { <button type="button" class="ghost" data-testid="node-edit-cancel" (click)="stopEditing()">{{ 'common.cancel' | t }}</button> }
      </form>
      @if (editing() && moved()) { <p class="muted" data-testid="node-unpin-warning">{{ 'ops.nodes.moveUnpins' | t }}</p> }
      @if (!keys().length && !loading()) { <p class="muted" data-testid="nodes-need-key">{{ 'ops.nodes.needKey' | t }}</p> }
      @if (error(); as e) { <p class="error-state" role="alert" data-testid="nodes-error">{{ e }}</p> }
    </section>
    <section class="panel">
      <h2>{{ 'settings.nodes' | t }}</h2>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th>{{ 'ops.nodes.name' | t }}</th><th>{{ 'ops.nodes.where' | t }}</th><th>{{ 'ops.nodes.hostKey' | t }}</th><th><span class="sr-only">{{ 'common.actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (n of nodes(); track n.id) {
              <tr data-testid="node-row" [attr.data-node-name]="n.name">
                <td>
                  <strong>{{ n.name }}</strong>
                  @for (tag of n.tags; track tag) { <span class="chip">{{ tag }}</span> }
                  @if (n.description) { <div class="muted">{{ n.description }}</div> }
                </td>
                <td class="mono">{{ n.username }}&#64;{{ n.host }}:{{ n.port }}<div class="muted"><small>{{ 'ops.nodes.withKey' | t: { key: n.keyName } }}</small></div></td>
                <td data-testid="node-host-key">
                  @if (n.hostKeyFingerprint) {
                    <code class="mono wrap">{{ n.hostKeyFingerprint }}</code>
                    <div class="muted"><small>{{ 'ops.nodes.pinnedBy' | t: { name: n.hostKeyConfirmedByName ?? '—', time: n.hostKeyConfirmedAt ? i18n.dateTime(n.hostKeyConfirmedAt, true) : '' } }}</small></div>
                  } @else { <span class="chip off">{{ 'ops.nodes.notPinned' | t }}</span> }
                  @if (tests()[n.id]; as r) {
                    <div class="test-result" role="status" data-testid="node-test-result">
                      @if (r.ok) { <span class="valid">{{ 'ops.nodes.testOk' | t: { ms: r.rttMs ?? 0 } }}</span> }
                      @else { <span class="invalid" data-testid="node-test-error">{{ r.errorCode }}: {{ r.error }}</span> }
                      @if (r.hostKeyFingerprint && !r.hostKeyPinned) {
                        <p>{{ 'ops.nodes.seenKey' | t }} <code class="mono wrap" data-testid="node-seen-key">{{ r.hostKeyFingerprint }}</code></p>
                        <p class="muted"><small>{{ 'ops.nodes.compare' | t }}</small></p>
                        <button type="button" class="primary" data-testid="node-confirm-key" (click)="confirm(n, r.hostKeyFingerprint)">{{ 'ops.nodes.confirmKey' | t }}</button>
                      }
                    </div>
                  }
                </td>
                <td><div class="actions">
                  <button type="button" data-testid="node-edit" (click)="edit(n)">{{ 'ops.nodes.editButton' | t }}</button>
                  <button type="button" data-testid="node-test" [disabled]="testing() === n.id" (click)="test(n)">{{ (testing() === n.id ? 'ops.nodes.testing' : 'ops.nodes.test') | t }}</button>
                  <ec-confirm-button [label]="'common.delete' | t" testId="node-delete" (confirmed)="remove(n)" />
                </div></td>
              </tr>
            } @empty {
              <tr><td colspan="4" class="empty-state">{{ (loading() ? 'common.loading' : 'ops.nodes.none') | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  styleUrl: '../settings.css',
  styles: `
    td .chip { margin-left: .3rem; }
    .narrow { max-width: 6rem; min-width: 5rem !important; flex: 0 !important; }
    .test-result { margin-top: .4rem; display: flex; flex-direction: column; gap: .3rem; align-items: flex-start; }
    .test-result p { margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NodesSettings {
  private readonly api = inject(OpsApi);
  protected readonly i18n = inject(I18nService);
  protected readonly nodes = signal<readonly OpsNodeDto[]>([]);
  protected readonly keys = signal<readonly SshKeyDto[]>([]);
  private readonly state = loadState();
  protected readonly loading = this.state.loading;
  protected readonly error = this.state.error;
  protected readonly testing = signal<number | null>(null);
  /** The node the form edits; null: the form adds one. */
  protected readonly editing = signal<OpsNodeDto | null>(null);
  /** The last test of each node on this page, by node id. */
  protected readonly tests = signal<Readonly<Record<number, NodeTestResult>>>({});
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true }),
    host: new FormControl('', { nonNullable: true }),
    port: new FormControl(22, { nonNullable: true }),
    username: new FormControl('', { nonNullable: true }),
    keyId: new FormControl<number | null>(null),
    tags: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    void this.load();
  }

  protected canAdd(): boolean {
    const v = this.form.getRawValue();
    return !!v.name.trim() && !!v.host.trim() && !!v.username.trim() && v.keyId !== null;
  }

  protected async add(): Promise<void> {
    const v = this.form.getRawValue();
    const tags = v.tags
      .split(/[\s,]+/)
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    const body = {
      name: v.name.trim(),
      host: v.host.trim(),
      port: Number(v.port) || 22,
      username: v.username.trim(),
      keyId: v.keyId!,
      tags,
    };
    const editing = this.editing();
    await this.state.run(async () => {
      const node = await firstValueFrom(editing ? this.api.updateNode(editing.id, body) : this.api.addNode(body));
      this.nodes.update((list) =>
        [...list.filter((n) => n.id !== node.id), node].sort((a, b) => a.name.localeCompare(b.name)),
      );
      if (editing) this.tests.update(({ [node.id]: _, ...rest }) => rest);
      this.stopEditing(v.keyId);
    });
  }

  protected edit(node: OpsNodeDto): void {
    this.editing.set(node);
    this.form.setValue({
      name: node.name,
      host: node.host,
      port: node.port,
      username: node.username,
      keyId: node.keyId,
      tags: node.tags.join(', '),
    });
  }

  protected stopEditing(keyId = this.form.getRawValue().keyId): void {
    this.editing.set(null);
    this.form.reset({ port: 22, keyId });
  }

  /** Saving another host or port unpins the host key (the server does it; the form says so first). */
  protected moved(): boolean {
    const node = this.editing();
    const v = this.form.getRawValue();
    return !!node && node.hostKeyFingerprint !== null && (v.host.trim() !== node.host || Number(v.port) !== node.port);
  }

  protected async test(node: OpsNodeDto): Promise<void> {
    this.testing.set(node.id);
    await this.state.run(async () => {
      const result = await firstValueFrom(this.api.test(node.id));
      this.tests.update((t) => ({ ...t, [node.id]: result }));
    });
    this.testing.set(null);
  }

  protected async confirm(node: OpsNodeDto, fingerprint: string): Promise<void> {
    await this.state.run(async () => {
      const pinned = await firstValueFrom(this.api.confirmHostKey(node.id, fingerprint));
      this.nodes.update((list) => list.map((n) => (n.id === pinned.id ? pinned : n)));
      this.tests.update((t) => ({
        ...t,
        [node.id]: { ...t[node.id]!, hostKeyPinned: true, ok: true, errorCode: null, error: null },
      }));
    });
  }

  protected async remove(node: OpsNodeDto): Promise<void> {
    await this.state.run(async () => {
      await firstValueFrom(this.api.deleteNode(node.id));
      this.nodes.update((list) => list.filter((n) => n.id !== node.id));
    });
  }

  private async load(): Promise<void> {
    await this.state.fetch(async () => {
      const [nodes, keys] = await Promise.all([firstValueFrom(this.api.nodes()), firstValueFrom(this.api.keys())]);
      this.nodes.set(nodes);
      this.keys.set(keys);
      if (keys.length === 1) this.form.controls.keyId.setValue(keys[0]!.id);
    });
  }
}
