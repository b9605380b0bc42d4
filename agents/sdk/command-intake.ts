import { randomUUID } from 'node:crypto';
import type { CommandClaimAck, CommandPendingAck, CommandRunEvent } from '@echocenter/contracts';
import type { CommandDispatcher } from './commands';

/** `command:claim` / `command:pending` with an ack; rejects when no ack came (the connection is gone). */
export type IntakeCall = {
  (event: 'command:claim', payload: { commandId: number; instance: string }): Promise<CommandClaimAck>;
  (event: 'command:pending', payload: { instance: string }): Promise<CommandPendingAck>;
};

/**
 * Takes `command:run`s in so each runs once whatever delivered it (docs/protocol.md, "Catching up"). A
 * push can be lost (the node that sent it died, Redis was down), so after every (re)connect and every
 * `sync:hint` the agent asks the hub for the commands sent to it that nobody claimed (`command:pending`).
 * Live push and catch-up may then both bring one command: each is claimed (`command:claim`, with this
 * process's own `instance` id) before it runs, and the hub grants one process one claim. A claim whose ack
 * was lost with its node is asked again by the next catch-up and granted again to the same instance; the
 * dispatcher runs an id once per process (a re-delivered finished one re-sends its remembered result).
 */
export class CommandIntake {
  /** This process's claim id: another process of the same agent (a restart) never re-runs our commands. */
  readonly instance = randomUUID();
  private readonly claiming = new Set<number>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly call: IntakeCall,
    private readonly dispatcher: CommandDispatcher,
    private readonly warn: (text: string) => void,
  ) {}

  /** A `command:run`, live or caught up: runs it once the hub granted the claim. Never throws. */
  async deliver(run: CommandRunEvent): Promise<void> {
    const id = run.commandId;
    if (this.dispatcher.knows(id)) return this.dispatcher.run(run);
    if (this.claiming.has(id)) return;
    this.claiming.add(id);
    try {
      const ack = await this.call('command:claim', { commandId: id, instance: this.instance });
      // Not granted: another process has it, or it ended (cancelled, timed out). Not ours to run.
      if (ack.ok && ack.run) this.dispatcher.run(run);
      else if (!ack.ok) this.warn(`hub refused command:claim for ${id}: ${ack.error.code}`);
    } catch {
      // No ack: the connection went. The catch-up after the reconnect lists it again.
    } finally {
      this.claiming.delete(id);
    }
  }

  /** Asks for unclaimed commands and delivers each; a call while one runs makes it run once more. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const ack = await this.call('command:pending', { instance: this.instance });
          if (ack.ok) await Promise.all(ack.commands.map((run) => this.deliver(run)));
          else this.warn(`hub refused command:pending: ${ack.error.code}`);
        } catch {
          // No ack: the connection went; the next connect catches up.
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }
}
