import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { NotificationChannelDto } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { ChannelForm } from './channel-form';
import { eventKey, kindKey, type ChannelDraft } from './channel-draft';
import { ChannelsStore } from './channels.store';

/**
 * Settings → Channels: where approvals reach admins outside the console (webhook, Slack, Feishu,
 * e-mail), each channel's delivery log, a test-send, and the dead letters with a retry.
 */
@Component({
  selector: 'ec-channels-settings',
  imports: [TranslatePipe, ConfirmButton, ChannelForm],
  providers: [ChannelsStore],
  template: `
    <section class="panel" data-testid="settings-channels">
      <h2>{{ 'channels.title' | t }}</h2>
      <p class="muted">{{ 'channels.explain' | t }}</p>
      @if (store.notice(); as n) { <p class="notice" role="status">{{ n | t }}</p> }
      @if (store.error(); as e) { <p class="error-state" role="alert" data-testid="channels-error">{{ e }}</p> }
      @if (store.revealed(); as r) {
        <div class="token-box" role="alert" data-testid="channel-secret-reveal">
          <strong>{{ 'channels.secretFor' | t: { name: r.channelName } }}</strong>
          <p>⚠ {{ 'channels.secretOnce' | t }}</p>
          <div class="token-row"><code data-testid="channel-secret-value">{{ r.secret }}</code></div>
          <button type="button" class="link" (click)="store.revealed.set(null)">{{ 'agentsAdmin.tokenSaved' | t }}</button>
        </div>
      }
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th>{{ 'channels.name' | t }}</th><th>{{ 'channels.kind' | t }}</th><th>{{ 'channels.events' | t }}</th><th>{{ 'channels.recipients' | t }}</th><th><span class="sr-only">{{ 'common.actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (c of store.channels(); track c.id) {
              <tr data-testid="channel-row" [attr.data-name]="c.name" [class.selected]="store.selectedId() === c.id">
                <td><button type="button" class="link" (click)="store.select(c.id)">{{ c.name }}</button>
                  @if (!c.enabled) { <span class="chip off">{{ 'channels.disabled' | t }}</span> }
                  <div class="muted mono small">{{ c.url ?? c.smtp?.host }}</div></td>
                <td>{{ kindKey(c.kind) | t }}</td>
                <td>@for (e of c.events; track e) { <span class="chip">{{ eventKey(e) | t }}</span> }</td>
                <td>{{ recipientsText(c) }}</td>
                <td><div class="actions">
                  <button type="button" data-testid="channel-test" (click)="test(c.id)">{{ 'channels.test' | t }}</button>
                  <button type="button" data-testid="channel-edit" (click)="edit(c)">{{ 'channels.edit' | t }}</button>
                  <ec-confirm-button [label]="'common.delete' | t" testId="channel-delete" (confirmed)="store.remove(c.id)" />
                </div></td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="empty-state">{{ (store.loading() ? 'common.loading' : 'channels.none') | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (formFor() === undefined) {
        <button type="button" class="primary" data-testid="channel-add" (click)="formFor.set(null)">{{ 'channels.add' | t }}</button>
      } @else {
        <h3>{{ (formFor() ? 'channels.editTitle' : 'channels.addTitle') | t }}</h3>
        <ec-channel-form [channel]="formFor() ?? null" [admins]="store.admins()" (saved)="save($event)" (cancelled)="formFor.set(undefined)" />
      }
    </section>

    @if (store.selected(); as sel) {
      <section class="panel" data-testid="channel-log">
        <h2>{{ 'channels.logTitle' | t: { name: sel.name } }}</h2>
        <button type="button" class="link" data-testid="channel-log-refresh" (click)="store.refreshLog()">{{ 'channels.refresh' | t }}</button>
        <div class="table-wrap" tabindex="0">
          <table>
            <thead><tr><th>{{ 'channels.when' | t }}</th><th>{{ 'channels.event' | t }}</th><th>{{ 'channels.try' | t }}</th><th>{{ 'channels.result' | t }}</th><th>{{ 'channels.duration' | t }}</th></tr></thead>
            <tbody>
              @for (a of store.deliveries(); track a.id) {
                <tr data-testid="delivery-row" [attr.data-ok]="a.ok">
                  <td class="muted">{{ i18n.dateTime(a.createdAt, true) }}</td>
                  <td class="mono">{{ a.event }}</td>
                  <td>{{ a.attempt }}</td>
                  <td><span class="chip" [class.off]="!a.ok">{{ a.statusCode ?? '—' }}</span> {{ a.ok ? ('channels.delivered' | t) : a.error }}</td>
                  <td class="muted">{{ a.durationMs }} ms</td>
                </tr>
              } @empty {
                <tr><td colspan="5" class="empty-state">{{ 'channels.noDeliveries' | t }}</td></tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }

    <section class="panel" data-testid="dead-letters">
      <h2>{{ 'channels.deadTitle' | t }}</h2>
      <p class="muted">{{ 'channels.deadExplain' | t }}</p>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th>#</th><th>{{ 'channels.channel' | t }}</th><th>{{ 'channels.event' | t }}</th><th>{{ 'channels.tries' | t }}</th><th>{{ 'channels.lastError' | t }}</th><th><span class="sr-only">{{ 'common.actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (n of store.deadLetters(); track n.id) {
              <tr data-testid="dead-letter">
                <td>{{ n.id }}</td>
                <td>{{ channelName(n.channelId) }}@if (n.recipient) { <small class="muted"> → {{ n.recipient }}</small> }</td>
                <td class="mono">{{ n.event }}@if (n.approvalId) { <small class="muted"> #{{ n.approvalId }}</small> }</td>
                <td>{{ n.attempts }}</td>
                <td>{{ n.lastError }}</td>
                <td><button type="button" data-testid="dead-letter-retry" (click)="store.retry(n)">{{ 'common.retry' | t }}</button></td>
              </tr>
            } @empty {
              <tr><td colspan="6" class="empty-state">{{ 'channels.noDead' | t }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  styleUrl: '../settings.css',
  styles: `
    .small { font-size: .8rem; overflow-wrap: anywhere; }
    tr.selected td { background: var(--surface-2, rgba(127, 127, 127, .08)); }
    h3 { margin: 1rem 0 .5rem; font-size: 1.05rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelsSettings {
  protected readonly store = inject(ChannelsStore);
  protected readonly i18n = inject(I18nService);
  protected readonly kindKey = kindKey;
  protected readonly eventKey = eventKey;
  /** undefined: no form; null: adding; a channel: editing it. */
  protected readonly formFor = signal<NotificationChannelDto | null | undefined>(undefined);

  private followUp: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    void this.store.load();
    inject(DestroyRef).onDestroy(() => this.followUp !== null && clearTimeout(this.followUp));
  }

  /** Queues a test; the log is read again a moment later, when the message has usually gone out. */
  protected async test(id: number): Promise<void> {
    await this.store.test(id);
    if (this.followUp !== null) clearTimeout(this.followUp);
    this.followUp = setTimeout(() => {
      this.followUp = null;
      void this.store.refreshLog().catch(() => undefined);
    }, 1500);
  }

  protected edit(c: NotificationChannelDto): void {
    this.formFor.set(undefined);
    // A new form instance, so its draft is read from this channel.
    queueMicrotask(() => this.formFor.set(c));
  }

  protected async save(draft: ChannelDraft): Promise<void> {
    const editing = this.formFor();
    if (await this.store.save(draft, editing ? editing.id : null)) this.formFor.set(undefined);
  }

  protected recipientsText(c: NotificationChannelDto): string {
    if (c.recipients === null) return this.i18n.t('channels.everyAdmin');
    const names = c.recipients.map(
      (r) => this.store.admins().find((a) => a.id === r.actorId)?.username ?? `#${r.actorId}`,
    );
    return names.join(', ');
  }

  protected channelName(id: number): string {
    return this.store.channels().find((c) => c.id === id)?.name ?? `#${id}`;
  }
}
