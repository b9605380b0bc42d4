import { Injectable, inject, signal } from '@angular/core';
import type { CreateMcpServerRequest, McpServerDto, McpTransport } from '@echocenter/contracts';
import { firstValueFrom } from 'rxjs';
import { McpServersApi } from '../../../core/api/mcp-servers.api';
import { I18nService } from '../../../core/i18n/i18n.service';
import { loadState } from '../../../shared/load-state';
import { parseArgs, parsePairs } from './mcp-server-lines';

export const MCP_TRANSPORTS: readonly McpTransport[] = ['stdio', 'http'];

/** The "Add MCP server" form as typed: lines of args, `NAME=value` env and `Name: value` headers are parsed on add. */
export interface McpServerForm {
  name: string;
  description: string;
  command: string;
  args: string;
  env: string;
  url: string;
  headers: string;
}

const EMPTY_FORM: McpServerForm = { name: '', description: '', command: '', args: '', env: '', url: '', headers: '' };

/**
 * The MCP servers bridged as agents and the form that adds one. Secret values (env, headers) are held only
 * until the hub has them. Scoped to the section.
 */
@Injectable()
export class McpServersStore {
  private readonly api = inject(McpServersApi);
  private readonly i18n = inject(I18nService);
  private readonly list = signal<readonly McpServerDto[]>([]);
  private readonly busySignal = signal(false);
  private readonly state = loadState(false);

  readonly servers = this.list.asReadonly();
  readonly error = this.state.error.asReadonly();
  /** A request is on its way: add and restart wait for it. */
  readonly busy = this.busySignal.asReadonly();
  readonly transport = signal<McpTransport>('stdio');
  readonly form = signal<McpServerForm>(EMPTY_FORM);

  setField(field: keyof McpServerForm, value: string): void {
    this.form.update((f) => ({ ...f, [field]: value }));
  }

  canAdd(): boolean {
    const f = this.form();
    return f.name.trim().length >= 2 && (this.transport() === 'stdio' ? !!f.command.trim() : !!f.url.trim());
  }

  async load(): Promise<void> {
    await this.run(async () => this.list.set(await firstValueFrom(this.api.list())));
  }

  /** The server the hub added (its agent appears through the fleet store's own refresh), else null. */
  async add(): Promise<McpServerDto | null> {
    const body = this.request();
    if (!body) return null;
    const added: McpServerDto[] = [];
    await this.run(async () => {
      const server = await firstValueFrom(this.api.create(body));
      this.list.update((list) => [...list, server]);
      added.push(server);
      // Secrets leave the page as soon as the hub has them.
      this.form.set(EMPTY_FORM);
    });
    return added[0] ?? null;
  }

  restart(id: number): Promise<void> {
    return this.run(async () => {
      const server = await firstValueFrom(this.api.restart(id));
      this.list.update((list) => list.map((s) => (s.id === id ? server : s)));
    });
  }

  remove(id: number): Promise<void> {
    return this.run(async () => {
      await firstValueFrom(this.api.remove(id));
      this.list.update((list) => list.filter((s) => s.id !== id));
    });
  }

  private request(): CreateMcpServerRequest | null {
    const f = this.form();
    const base = { name: f.name.trim(), ...(f.description.trim() && { description: f.description.trim() }) };
    if (this.transport() === 'http') {
      const headers = parsePairs(f.headers, ':');
      if (!headers.ok) return this.bad(headers.line);
      return { ...base, transport: 'http', url: f.url.trim(), headers: headers.value };
    }
    const env = parsePairs(f.env, '=');
    if (!env.ok) return this.bad(env.line);
    return { ...base, transport: 'stdio', command: f.command.trim(), args: parseArgs(f.args), env: env.value };
  }

  private bad(line: string): null {
    this.state.error.set(this.i18n.t('mcp.badLine', { line }));
    return null;
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busySignal.set(true);
    try {
      await this.state.run(action);
    } finally {
      this.busySignal.set(false);
    }
  }
}
