import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import type { CreateMcpServerRequest, McpServerDto, McpTransport } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { McpServersApi } from '../../../core/api/mcp-servers.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import type { MessageKey } from '../../../core/i18n/messages.en';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { ConfirmButton } from '../../../shared/confirm-button';
import { loadState } from '../../../shared/load-state';
import { parseArgs, parsePairs } from './mcp-server-lines';

/**
 * "Add MCP server": a command line (stdio) or a Streamable HTTP URL with headers, and the servers already
 * bridged with the state of their bridge. Secret values go to the hub once and are never shown again.
 */
@Component({
  selector: 'ec-add-mcp-server',
  imports: [TranslatePipe, ConfirmButton],
  template: `
    <section class="panel" data-testid="mcp-servers">
      <h2>{{ 'mcp.add' | t }}</h2>
      <p class="muted">{{ 'mcp.addHint' | t }}</p>
      <form class="mcp-form" (submit)="$event.preventDefault(); add()">
        <div class="row-form">
          <input data-testid="mcp-name" autocomplete="off" maxlength="64" [placeholder]="'mcp.name' | t" [attr.aria-label]="'mcp.name' | t"
                 [value]="name()" (input)="name.set($any($event.target).value)" />
          <select data-testid="mcp-transport" [attr.aria-label]="'mcp.transport' | t" (change)="transport.set($any($event.target).value)">
            <option value="stdio" [selected]="transport() === 'stdio'">{{ 'mcp.transport.stdio' | t }}</option>
            <option value="http" [selected]="transport() === 'http'">{{ 'mcp.transport.http' | t }}</option>
          </select>
        </div>
        <input data-testid="mcp-description" autocomplete="off" maxlength="1000" [placeholder]="'agentsAdmin.description' | t" [attr.aria-label]="'agentsAdmin.description' | t"
               [value]="description()" (input)="description.set($any($event.target).value)" />
        @if (transport() === 'stdio') {
          <input data-testid="mcp-command" autocomplete="off" placeholder="npx" [attr.aria-label]="'mcp.command' | t"
                 [value]="command()" (input)="command.set($any($event.target).value)" />
          <label>{{ 'mcp.args' | t }}
            <textarea data-testid="mcp-args" rows="3" placeholder="-y&#10;@modelcontextprotocol/server-filesystem&#10;/srv/share" [value]="args()" (input)="args.set($any($event.target).value)"></textarea></label>
          <label>{{ 'mcp.env' | t }}
            <textarea data-testid="mcp-env" rows="2" class="secret" autocomplete="off" [value]="env()" (input)="env.set($any($event.target).value)"></textarea></label>
        } @else {
          <input data-testid="mcp-url" type="url" autocomplete="off" placeholder="https://tools.example.com/mcp" [attr.aria-label]="'mcp.url' | t"
                 [value]="url()" (input)="url.set($any($event.target).value)" />
          <label>{{ 'mcp.headers' | t }}
            <textarea data-testid="mcp-headers" rows="2" class="secret" autocomplete="off" placeholder="Authorization: Bearer …" [value]="headers()" (input)="headers.set($any($event.target).value)"></textarea></label>
        }
        <div><button type="submit" class="primary" data-testid="mcp-add" [disabled]="!canAdd() || busy()">{{ 'mcp.addButton' | t }}</button></div>
      </form>
      @if (error(); as e) { <p class="error-state" role="alert" data-testid="mcp-error">{{ e }}</p> }

      <h2>{{ 'mcp.list' | t }}</h2>
      <ul class="servers">
        @for (s of servers(); track s.id) {
          <li data-testid="mcp-server-row" [attr.data-server-name]="s.name">
            <strong>{{ s.name }}</strong>
            <span class="chip" [class.ok]="s.bridge === 'running'" [class.bad]="s.bridge === 'failed'" data-testid="mcp-bridge-state">{{ bridgeKey[s.bridge] | t }}</span>
            <code class="muted">{{ s.transport === 'stdio' ? s.command + ' ' + s.args.join(' ') : s.url }}</code>
            @if (s.envNames.length || s.headerNames.length) { <small class="muted">{{ 'mcp.secretNames' | t: { names: s.envNames.concat(s.headerNames).join(', ') } }}</small> }
            <button type="button" data-testid="mcp-restart" [disabled]="busy()" (click)="restart(s.id)">{{ 'mcp.restart' | t }}</button>
            <ec-confirm-button [label]="'mcp.remove' | t" testId="mcp-remove" (confirmed)="remove(s.id)" />
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
  private readonly api = inject(McpServersApi);
  private readonly i18n = inject(I18nService);
  /** A server was added: its agent appears in the list through the store's own refresh. */
  readonly added = output<McpServerDto>();
  protected readonly name = signal('');
  protected readonly description = signal('');
  protected readonly transport = signal<McpTransport>('stdio');
  protected readonly command = signal('');
  protected readonly args = signal('');
  protected readonly env = signal('');
  protected readonly url = signal('');
  protected readonly headers = signal('');
  protected readonly servers = signal<McpServerDto[]>([]);
  private readonly state = loadState(false);
  protected readonly error = this.state.error;
  protected readonly busy = signal(false);
  protected readonly bridgeKey: Record<McpServerDto['bridge'], MessageKey> = { running: 'mcp.bridge.running', restarting: 'mcp.bridge.restarting', failed: 'mcp.bridge.failed', stopped: 'mcp.bridge.stopped' };

  constructor() {
    void this.load();
  }

  protected canAdd(): boolean {
    return this.name().trim().length >= 2 && (this.transport() === 'stdio' ? !!this.command().trim() : !!this.url().trim());
  }

  protected async add(): Promise<void> {
    const body = this.request();
    if (!body) return;
    await this.run(async () => {
      const server = await firstValueFrom(this.api.create(body));
      this.servers.update((list) => [...list, server]);
      this.added.emit(server);
      // Secrets leave the page as soon as the hub has them.
      this.name.set('');
      this.description.set('');
      this.command.set('');
      this.args.set('');
      this.env.set('');
      this.url.set('');
      this.headers.set('');
    });
  }

  protected restart(id: number): Promise<void> {
    return this.run(async () => {
      const server = await firstValueFrom(this.api.restart(id));
      this.servers.update((list) => list.map((s) => (s.id === id ? server : s)));
    });
  }

  protected remove(id: number): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.api.remove(id));
      this.servers.update((list) => list.filter((s) => s.id !== id));
    });
  }

  private request(): CreateMcpServerRequest | null {
    const base = { name: this.name().trim(), ...(this.description().trim() && { description: this.description().trim() }) };
    if (this.transport() === 'http') {
      const headers = parsePairs(this.headers(), ':');
      if (!headers.ok) return this.bad(headers.line);
      return { ...base, transport: 'http', url: this.url().trim(), headers: headers.value };
    }
    const env = parsePairs(this.env(), '=');
    if (!env.ok) return this.bad(env.line);
    return { ...base, transport: 'stdio', command: this.command().trim(), args: parseArgs(this.args()), env: env.value };
  }

  private bad(line: string): null {
    this.error.set(this.i18n.t('mcp.badLine', { line }));
    return null;
  }

  private async load(): Promise<void> {
    await this.run(async () => this.servers.set(await firstValueFrom(this.api.list())));
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    try {
      await this.state.run(action);
    } finally {
      this.busy.set(false);
    }
  }
}
