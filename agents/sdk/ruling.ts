import type { AgentCard, AgentCommandCard, CommandPolicy } from '@echocenter/contracts';

/**
 * The hub's ruling on the agent's commands (from the `agent:hello` ack and `agent:card` pushes): the
 * claim alone never decides. `known` is false from each connect and each new card until the ruling on
 * it arrives; meanwhile chat runs nothing.
 */
export class Ruling {
  private readonly policies = new Map<string, CommandPolicy>();
  private ruled = false;
  private readonly waiters = new Set<() => void>();

  get known(): boolean {
    return this.ruled;
  }

  /** A hello is on its way (a new connection, or a new card): the ruling held is for something else. */
  forget(): void {
    this.ruled = false;
  }

  /** The hub's ruling: each command's policy (a hub without policies acks with none: the claims stand). */
  learn(commands: AgentCommandCard[] | undefined): void {
    this.policies.clear();
    for (const c of commands ?? []) if (c.policy) this.policies.set(c.name, c.policy);
    this.ruled = true;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once the ruling is known, or after `ms` (chat then says "still connecting"). */
  arrived(ms: number): Promise<void> {
    if (this.ruled) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.waiters.add(done);
    });
  }

  /** The card with the hub's effective policy on each command it has ruled on. */
  apply(card: AgentCard | undefined): AgentCard | undefined {
    if (!card || !this.policies.size) return card;
    return {
      ...card,
      commands: card.commands.map((c) => (this.policies.has(c.name) ? { ...c, policy: this.policies.get(c.name) } : c)),
    };
  }
}
