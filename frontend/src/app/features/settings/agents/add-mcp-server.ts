import { ChangeDetectionStrategy, Component, inject, output } from '@angular/core';
import type { McpServerDto } from '@echocenter/contracts';
import type { MessageKey } from '../../../core/i18n/messages.en';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { oneOf } from '../../../shared/form-values';
import { MCP_TRANSPORTS, McpServersStore } from './mcp-servers.store';

/**
 * "Add MCP server": a command line (stdio) or a Streamable HTTP URL with headers, and the servers already
 * bridged with the state of their bridge. Secret values go to the hub once and are never shown again.
 */
@Component({
  selector: 'ec-add-mcp-server',
  imports: [TranslatePipe, ConfirmButton],
  providers: [McpServersStore],
  template: `
    <section class="panel" data-testid="mcp-servers">
      <h2>{{ 'mcp.add' | t }}</h2>
      <p class="muted">{{ 'mcp.addHint' | t }}</p>
      <form class="mcp-form" (submit)="$event.preventDefault(); add()">
        <div class="row-form">
          <input data-testid="mcp-name" autocomplete="off" maxlength="64" [placeholder]="'mcp.name' | t" [attr.aria-label]="'mcp.name' | t"
                 #nameInput [value]="form().name" (input)="store.setField('name', nameInput.value)" />
          <select data-testid="mcp-transport" [attr.aria-label]="'mcp.transport' | t" #transportSelect (change)="setTransport(transportSelect.value)">
            <option value="stdio" [selected]="store.transport() === 'stdio'">{{ 'mcp.transport.stdio' | t }}</option>
            <option value="http" [selected]="store.transport() === 'http'">{{ 'mcp.transport.http' | t }}</option>
          </select>
        </div>
        <input data-testid="mcp-description" autocomplete="off" maxlength="1000" [placeholder]="'agentsAdmin.description' | t" [attr.aria-label]="'agentsAdmin.description' | t"
               #descriptionInput [value]="form().description" (input)="store.setField('description', descriptionInput.value)" />
        @if (store.transport() === 'stdio') {
          <input data-testid="mcp-command" autocomplete="off" placeholder="npx" [attr.aria-label]="'mcp.command' | t"
                 #commandInput [value]="form().command" (input)="store.setField('command', commandInput.value)" />
          <label>{{ 'mcp.args' | t }}
            <textarea data-testid="mcp-args" rows="3" placeholder="-y&#10;@modelcontextprotocol/server-filesystem&#10;/srv/share" #argsInput [value]="form().args" (input)="store.setField('args', argsInput.value)"></textarea></label>
          <label>{{ 'mcp.env' | t }}
            <textarea data-testid="mcp-env" rows="2" class="secret" autocomplete="off" #envInput [value]="form().env" (input)="store.setField('env', envInput.value)"></textarea></label>
        } @else {
          <input data-testid="mcp-url" type="url" autocomplete="off" placeholder="https://tools.example.com/mcp" [attr.aria-label]="'mcp.url' | t"
                 #urlInput [value]="form().url" (input)="store.setField('url', urlInput.value)" />
          <label>{{ 'mcp.headers' | t }}
            <textarea data-testid="mcp-headers" rows="2" class="secret" autocomplete="off" placeholder="Authorization: Bearer …" #headersInput [value]="form().headers" (input)="store.setField('headers', headersInput.value)"></textarea></label>
        }
        <div><button type="submit" class="primary" data-testid="mcp-add" [disabled]="!store.canAdd() || store.busy()">{{ 'mcp.addButton' | t }}</button></div>
      </form>
      @if (store.error(); as e) { <p class="error-state" role="alert" data-testid="mcp-error">{{ e }}</p> }

      <h2>{{ 'mcp.list' | t }}</h2>
      <ul class="servers">
        @for (s of store.servers(); track s.id) {
          <li data-testid="mcp-server-row" [attr.data-server-name]="s.name">
            <strong>{{ s.name }}</strong>
            <span class="chip" [class.ok]="s.bridge === 'running'" [class.bad]="s.bridge === 'failed'" data-testid="mcp-bridge-state">{{ bridgeKey[s.bridge] | t }}</span>
            <code class="muted">{{ s.transport === 'stdio' ? s.command + ' ' + s.args.join(' ') : s.url }}</code>
            @if (s.envNames.length || s.headerNames.length) { <small class="muted">{{ 'mcp.secretNames' | t: { names: s.envNames.concat(s.headerNames).join(', ') } }}</small> }
            <button type="button" data-testid="mcp-restart" [disabled]="store.busy()" (click)="store.restart(s.id)">{{ 'mcp.restart' | t }}</button>
            <ec-confirm-button [label]="'mcp.remove' | t" testId="mcp-remove" (confirmed)="store.remove(s.id)" />
          </li>
        } @empty {
          <li class="muted">{{ 'mcp.empty' | t }}</li>
        }
      </ul>
    </section>
  `,
  styles: `
    .mcp-form { display: flex; flex-direction: column; gap: .5rem; max-width: 44rem; }
    .mcp-form label { display: flex; flex-direction: column; gap: .2rem; font-size: .85rem; color: var(--muted); }
    .mcp-form textarea { font-family: var(--mono, monospace); font-size: .85rem; }
    .servers { list-style: none; padding: 0; display: flex; flex-direction: column; gap: .4rem; }
    .servers li { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
    .chip.ok { color: var(--success); }
    .chip.bad { color: var(--danger); }
  `,
  styleUrl: '../settings.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddMcpServer {
  protected readonly store = inject(McpServersStore);
  protected readonly form = this.store.form;
  /** A server was added: its agent appears in the list through the store's own refresh. */
  readonly added = output<McpServerDto>();
  protected readonly bridgeKey: Record<McpServerDto['bridge'], MessageKey> = {
    running: 'mcp.bridge.running',
    restarting: 'mcp.bridge.restarting',
    failed: 'mcp.bridge.failed',
    stopped: 'mcp.bridge.stopped',
  };

  constructor() {
    void this.store.load();
  }

  protected setTransport(value: string): void {
    const transport = oneOf(MCP_TRANSPORTS, value);
    if (transport) this.store.transport.set(transport);
  }

  protected async add(): Promise<void> {
    const server = await this.store.add();
    if (server) this.added.emit(server);
  }
}
