import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { Icon } from '../../../shared/icon';

/** A fresh agent token: shown once, with a copy button and the warning that it will not be shown again. */
@Component({
  selector: 'ec-token-reveal',
  imports: [TranslatePipe, Icon],
  template: `
    <div class="token-box" role="alert" data-testid="token-reveal">
      <strong>{{ 'agentsAdmin.tokenFor' | t: { name: agentName() } }}</strong>
      <p><ec-icon name="alert" /> {{ 'agentsAdmin.tokenWarning' | t }}</p>
      <div class="token-row">
        <code data-testid="token-value">{{ token() }}</code>
        <button type="button" class="primary" data-testid="token-copy" (click)="copy()">{{ (copied() ? 'agentsAdmin.copied' : 'agentsAdmin.copy') | t }}</button>
      </div>
      @if (connect()) {
      <details class="connect" data-testid="token-connect" open>
        <summary>{{ 'agentsAdmin.connectHow' | t }}</summary>
        <p>{{ 'agentsAdmin.connectNode' | t }}</p>
        <pre class="mono" data-testid="token-connect-node">{{ nodeLine() }}</pre>
        <p>{{ 'agentsAdmin.connectPython' | t }}</p>
        <pre class="mono" data-testid="token-connect-python">{{ pythonSnippet() }}</pre>
      </details>
      }
      <button type="button" class="link" data-testid="token-dismiss" (click)="dismissed.emit()">{{ 'agentsAdmin.tokenSaved' | t }}</button>
    </div>
  `,
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenReveal {
  readonly token = input.required<string>();
  readonly agentName = input.required<string>();
  /** How to connect an agent with it (an agent token); off for a personal access token, which is no agent's. */
  readonly connect = input(true);
  readonly dismissed = output<void>();
  protected readonly copied = signal(false);
  /** This console's own address: the hub the agent must reach (behind a proxy, the address people use). */
  private readonly hub = typeof location === 'undefined' ? 'http://localhost:3000' : location.origin;
  protected readonly nodeLine = computed(
    () =>
      `ECHO_URL=${this.hub} ECHO_TOKEN=${this.token()} npx tsx my-agent.ts\n# or a demo program: npm run agent -- echo-bot --url ${this.hub} --token ${this.token()}`,
  );
  protected readonly pythonSnippet = computed(() =>
    [
      'import socketio  # pip install "python-socketio[client]"',
      'sio = socketio.Client()',
      `sio.connect("${this.hub}", auth={"token": "${this.token()}"}, transports=["websocket"])`,
      'sio.emit("agent:hello", {"commands": [{"name": "get_status", "readOnly": True}]})',
      'sio.wait()',
    ].join('\n'),
  );

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.token());
    } catch {
      // Clipboard API needs a secure context; fall back to selecting the text for a manual copy.
      const range = document.createRange();
      const code = document.querySelector('[data-testid="token-value"]');
      if (code) {
        range.selectNodeContents(code);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        document.execCommand?.('copy');
      }
    }
    this.copied.set(true);
  }
}
