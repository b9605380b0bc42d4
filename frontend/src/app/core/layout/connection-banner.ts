import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ClockService } from '../clock.service';
import { TranslatePipe } from '../i18n/translate.pipe';
import { SocketService } from '../realtime/socket.service';

/** Says so when live updates stop; the first connect gets a short grace period before it shows. */
@Component({
  selector: 'ec-connection-banner',
  imports: [TranslatePipe],
  template: `
    @if (visible()) {
      <div class="banner" role="status" data-testid="connection-banner" [attr.data-state]="socket.state()">
        <span class="dot"></span>
        {{ (socket.refusal() === 'TOO_MANY_SOCKETS' ? 'conn.tooManySockets' : socket.state() === 'reconnecting' ? 'conn.reconnecting' : 'conn.connecting') | t }}
      </div>
    }
  `,
  styles: `
    .banner { display: flex; align-items: center; gap: .5rem; justify-content: center; padding: .35rem; background: var(--warning-soft); color: var(--warning-text); font-size: .9rem; border-bottom: 1px solid var(--border); }
    .dot { width: .55rem; height: .55rem; border-radius: 50%; background: var(--warning); animation: pulse 1.2s infinite; }
    @keyframes pulse { 50% { opacity: .3; } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionBanner {
  protected readonly socket = inject(SocketService);
  private readonly clock = inject(ClockService);
  private readonly started = signal(Date.now());

  protected readonly visible = computed(() => {
    const state = this.socket.state();
    if (state === 'reconnecting' || this.socket.refusal() === 'TOO_MANY_SOCKETS') return true;
    return state === 'connecting' && this.clock.now() - this.started() > 2500;
  });
}
