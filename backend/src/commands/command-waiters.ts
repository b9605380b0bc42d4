import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { AgentCommand } from './agent-command.entity';

interface Waiter {
  resolvers: ((cmd: AgentCommand) => void)[];
  progress: ((text: string) => void)[];
  timer: NodeJS.Timeout;
}

/**
 * Local promises for tools that wait on a command (read-only questions). Only a wake-up: the result
 * itself is always read back from the database, and the deadline timer guarantees nobody waits forever.
 */
@Injectable()
export class CommandWaiters implements OnApplicationShutdown {
  private readonly waiting = new Map<number, Waiter>();

  has(id: number): boolean {
    return this.waiting.has(id);
  }

  wait(
    id: number,
    deadlineInMs: number,
    onDeadline: () => Promise<void>,
    onProgress?: (text: string) => void,
  ): Promise<AgentCommand> {
    return new Promise((resolve, reject) => {
      const existing = this.waiting.get(id);
      if (existing) {
        existing.resolvers.push(resolve);
        if (onProgress) existing.progress.push(onProgress);
        return;
      }
      const timer = setTimeout(() => onDeadline().catch(reject), deadlineInMs);
      this.waiting.set(id, { resolvers: [resolve], progress: onProgress ? [onProgress] : [], timer });
    });
  }

  /** A progress line for whoever waits on this command here (the turn that asked streams it). */
  progress(id: number, text: string): void {
    for (const p of this.waiting.get(id)?.progress ?? []) p(text);
  }

  resolve(id: number, cmd: AgentCommand): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    for (const r of w.resolvers) r(cmd);
  }

  /**
   * Not at module destroy: that runs before the Butler's drain (beforeApplicationShutdown), whose turns may
   * be waiting here for an agent's answer; cleared then, they would never wake and a survivor would redo them.
   */
  onApplicationShutdown(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
  }
}
