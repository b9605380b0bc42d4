import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { SocketService } from '../realtime/socket.service';

/** Characters of live output kept per command: the tail, like the agent's own result. */
export const LIVE_OUTPUT_CHARS = 8000;
// Commands remembered at once; older ones are finished and have their result by then.
const COMMANDS_KEPT = 20;

/**
 * Live `command:progress` text of the commands this user asked for, by command id, so a running
 * approval in its thread shows what the agent streams (the Ops-Runner's remote output) as it comes.
 */
@Injectable()
export class CommandOutputStore {
  private readonly outputs = signal<ReadonlyMap<number, string>>(new Map());

  constructor() {
    inject(SocketService)
      .commandProgress$.pipe(takeUntilDestroyed())
      .subscribe((p) => this.append(p.commandId, p.text));
  }

  output(commandId: number | null): string {
    return commandId === null ? '' : this.outputs().get(commandId) ?? '';
  }

  private append(commandId: number, text: string): void {
    this.outputs.update((current) => {
      const next = new Map(current);
      const joined = (next.get(commandId) ?? '') + (next.has(commandId) ? '\n' : '') + text;
      next.delete(commandId);
      next.set(commandId, joined.length > LIVE_OUTPUT_CHARS ? '…' + joined.slice(-LIVE_OUTPUT_CHARS) : joined);
      while (next.size > COMMANDS_KEPT) next.delete(next.keys().next().value!);
      return next;
    });
  }
}
