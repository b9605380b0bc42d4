import { ChangeDetectionStrategy, Component, computed, input, output, signal, type OnInit } from '@angular/core';
import type { NotificationChannelDto, NotificationEvent, UserDto } from '@echocenter/contracts';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { oneOf } from '../../../shared/form-values';
import {
  CHANNEL_KINDS,
  EVENTS,
  draftOf,
  emptyDraft,
  eventKey,
  kindKey,
  problemOf,
  type ChannelDraft,
} from './channel-draft';

/**
 * Add or edit one channel: kind, address, events, recipients, whether its links ask for the admin's password, and its
 * secret (never shown, only replaced; asked for again when the destination moves).
 */
@Component({
  selector: 'ec-channel-form',
  imports: [TranslatePipe],
  template: `
    <form class="channel-form" data-testid="channel-form" (submit)="$event.preventDefault(); submit()">
      <div class="grid">
        <label for="ch-name">{{ 'channels.name' | t }}</label>
        <input id="ch-name" data-testid="channel-name" [value]="d().name" #nameInput (input)="set('name', nameInput.value)" maxlength="64" />
        <label for="ch-kind">{{ 'channels.kind' | t }}</label>
        <select id="ch-kind" data-testid="channel-kind" [disabled]="editing()" #kindSelect (change)="setKind(kindSelect.value)">
          @for (k of kinds; track k) { <option [value]="k" [selected]="d().kind === k">{{ kindKey(k) | t }}</option> }
        </select>
        @if (d().kind !== 'EMAIL') {
          <label for="ch-url">{{ 'channels.url' | t }}</label>
          <input id="ch-url" data-testid="channel-url" type="url" [value]="d().url" #urlInput (input)="set('url', urlInput.value)" placeholder="https://" />
        } @else {
          <label for="ch-host">{{ 'channels.smtpHost' | t }}</label>
          <span class="inline"><input id="ch-host" data-testid="channel-smtp-host" [value]="d().smtpHost" #smtpHostInput (input)="set('smtpHost', smtpHostInput.value)" />
            <input class="port" data-testid="channel-smtp-port" inputmode="numeric" [attr.aria-label]="'channels.smtpPort' | t" [value]="d().smtpPort" #smtpPortInput (input)="set('smtpPort', smtpPortInput.value)" />
            <label class="check"><input type="checkbox" [checked]="d().smtpSecure" #smtpSecureBox (change)="set('smtpSecure', smtpSecureBox.checked)" /> TLS</label></span>
          <label for="ch-user">{{ 'channels.smtpUser' | t }}</label>
          <input id="ch-user" data-testid="channel-smtp-user" autocomplete="off" [value]="d().smtpUsername" #smtpUsernameInput (input)="set('smtpUsername', smtpUsernameInput.value)" />
          <label for="ch-from">{{ 'channels.smtpFrom' | t }}</label>
          <input id="ch-from" data-testid="channel-smtp-from" [value]="d().smtpFrom" #smtpFromInput (input)="set('smtpFrom', smtpFromInput.value)" placeholder="EchoCenter <echo@example.com>" />
          <span></span>
          <label class="check"><input type="checkbox" data-testid="channel-smtp-plaintext" [checked]="d().smtpAllowPlaintext" #smtpPlainBox (change)="set('smtpAllowPlaintext', smtpPlainBox.checked)" /> {{ 'channels.smtpAllowPlaintext' | t }}</label>
        }
        @if (d().kind === 'WEBHOOK') {
          @if (editing()) {
            <span>{{ 'channels.secret' | t }}</span>
            <label class="check"><input type="checkbox" data-testid="channel-rotate" [checked]="d().rotateSecret" #rotateSecretBox (change)="set('rotateSecret', rotateSecretBox.checked)" /> {{ 'channels.rotate' | t }}</label>
          }
        } @else {
          <label for="ch-secret">{{ (d().kind === 'EMAIL' ? 'channels.smtpPassword' : 'channels.feishuSecret') | t }}</label>
          <input id="ch-secret" data-testid="channel-secret" type="password" autocomplete="new-password" [value]="d().secret" #secretInput (input)="set('secret', secretInput.value)"
                 [placeholder]="(hasSecret() ? 'channels.secretKeep' : 'channels.secretOptional') | t" />
        }
      </div>

      <fieldset>
        <legend>{{ 'channels.events' | t }}</legend>
        @for (e of events; track e) {
          <label class="check"><input type="checkbox" [attr.data-testid]="'channel-event-' + e" [checked]="d().events.includes(e)" #eventBox (change)="toggleEvent(e, eventBox.checked)" />
            {{ eventKey(e) | t }} <small class="muted mono">{{ e }}</small></label>
        }
      </fieldset>

      <fieldset>
        <legend>{{ 'channels.recipients' | t }}</legend>
        @if (d().kind !== 'EMAIL') {
          <label class="check"><input type="checkbox" data-testid="channel-every-admin" [checked]="d().everyAdmin" #everyAdminBox (change)="set('everyAdmin', everyAdminBox.checked)" /> {{ 'channels.everyAdmin' | t }}</label>
        }
        @if (d().kind === 'EMAIL' || !d().everyAdmin) {
          @for (a of admins(); track a.id) {
            <div class="recipient">
              <label class="check"><input type="checkbox" [attr.data-testid]="'channel-recipient-' + a.username" [checked]="isRecipient(a.id)" #recipientBox (change)="toggleRecipient(a.id, recipientBox.checked)" /> {{ a.username }}</label>
              @if (d().kind === 'EMAIL' && isRecipient(a.id)) {
                <input type="email" [attr.data-testid]="'channel-address-' + a.username" [attr.aria-label]="'channels.address' | t: { name: a.username }" [value]="addressOf(a.id)" #addressInput (input)="setAddress(a.id, addressInput.value)" placeholder="name@example.com" />
              }
            </div>
          }
        }
      </fieldset>

      <div class="sign-in">
        <label class="check"><input type="checkbox" data-testid="channel-links-sign-in" [checked]="d().linksRequireSignIn" #signInBox (change)="set('linksRequireSignIn', signInBox.checked)" /> {{ 'channels.linksRequireSignIn' | t }}</label>
        <small class="muted">{{ 'channels.linksRequireSignInHelp' | t }}</small>
      </div>
      <label class="check"><input type="checkbox" data-testid="channel-enabled" [checked]="d().enabled" #enabledBox (change)="set('enabled', enabledBox.checked)" /> {{ 'channels.enabled' | t }}</label>
      @if (problem(); as p) { <p class="muted" data-testid="channel-form-problem">{{ p | t }}</p> }
      <div class="actions">
        <button type="submit" class="primary" data-testid="channel-save" [disabled]="problem() !== null">{{ 'common.save' | t }}</button>
        <button type="button" class="ghost" (click)="cancelled.emit()">{{ 'common.cancel' | t }}</button>
      </div>
    </form>
  `,
  styleUrl: '../settings.css',
  styles: `
    .channel-form { display: grid; gap: .75rem; }
    .grid { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .5rem .75rem; align-items: center; }
    .port { width: 5rem; }
    fieldset { border: 1px solid var(--border); border-radius: 8px; padding: .5rem .75rem; display: grid; gap: .35rem; }
    .check { display: inline-flex; gap: .4rem; align-items: center; }
    .recipient { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
    .sign-in { display: grid; gap: .2rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelForm implements OnInit {
  readonly channel = input<NotificationChannelDto | null>(null);
  readonly admins = input.required<readonly UserDto[]>();
  readonly saved = output<ChannelDraft>();
  readonly cancelled = output<void>();

  protected readonly kinds = CHANNEL_KINDS;
  protected readonly events = EVENTS;
  protected readonly kindKey = kindKey;
  protected readonly eventKey = eventKey;
  protected readonly d = signal<ChannelDraft>(emptyDraft());
  protected readonly editing = computed(() => this.channel() !== null);
  protected readonly hasSecret = computed(() => this.channel()?.hasSecret ?? false);
  protected readonly problem = computed(() => problemOf(this.d()));

  ngOnInit(): void {
    const c = this.channel();
    if (c) this.d.set(draftOf(c));
  }

  protected set<K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]): void {
    this.d.update((d) => ({ ...d, [key]: value }));
  }

  protected setKind(value: string): void {
    const kind = oneOf(CHANNEL_KINDS, value);
    if (kind) this.d.update((d) => ({ ...emptyDraft(kind), name: d.name, events: d.events }));
  }

  protected toggleEvent(e: NotificationEvent, on: boolean): void {
    this.d.update((d) => ({ ...d, events: on ? [...d.events, e] : d.events.filter((x) => x !== e) }));
  }

  protected isRecipient(id: number): boolean {
    return this.d().recipients.some((r) => r.actorId === id);
  }

  protected addressOf(id: number): string {
    return this.d().recipients.find((r) => r.actorId === id)?.address ?? '';
  }

  protected toggleRecipient(id: number, on: boolean): void {
    this.d.update((d) => ({
      ...d,
      recipients: on ? [...d.recipients, { actorId: id, address: '' }] : d.recipients.filter((r) => r.actorId !== id),
    }));
  }

  protected setAddress(id: number, address: string): void {
    this.d.update((d) => ({ ...d, recipients: d.recipients.map((r) => (r.actorId === id ? { ...r, address } : r)) }));
  }

  protected submit(): void {
    if (this.problem() === null) this.saved.emit(this.d());
  }
}
