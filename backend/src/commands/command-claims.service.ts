import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CommandRunEvent } from '@echocenter/contracts';
import { DataSource, Repository } from 'typeorm';
import type { AuthActor } from '../auth/auth-actor';
import { ButlerIdentity } from '../butler/butler-identity.service';
import { notFound } from '../common/api-error';
import { dbTime } from '../common/db-time';
import { retryTransient } from '../database/db-errors';
import { AgentCommand } from './agent-command.entity';
import { OPEN, runEvent } from './command-run';

/**
 * An agent's side of exactly-once runs: what was sent to it and not taken by another of its processes
 * (`command:pending`, after a lost push), and the claim it makes before running one (`command:claim`).
 */
@Injectable()
export class CommandClaims {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(AgentCommand) private readonly commands: Repository<AgentCommand>,
    private readonly butler: ButlerIdentity,
  ) {}

  /**
   * Takes a sent command on for one agent process: true for the first instance to ask (and again for it:
   * its ack may have been lost with a node), false for any other, or once the command ended or its
   * deadline passed. One conditional update, so two deliveries on two nodes still make one run.
   */
  async claim(agent: AuthActor, commandId: number, instance: string): Promise<boolean> {
    const now = dbTime(this.dataSource, new Date());
    const res = await retryTransient(() =>
      this.commands
        .createQueryBuilder()
        .update(AgentCommand)
        .set({ claimedBy: instance })
        .where('id = :id AND agent_id = :agent AND status IN (:...open) AND deadline > :now', {
          id: commandId,
          agent: agent.id,
          open: OPEN,
          now,
        })
        .andWhere('(claimed_by IS NULL OR claimed_by = :instance)', { instance })
        .execute(),
    );
    if (res.affected) return true;
    // MySQL counts changed rows: the same instance claiming again changes nothing. Read what is stored.
    const cmd = await this.commands.findOneBy({ id: commandId });
    if (!cmd || cmd.agentId !== agent.id) throw notFound('Command');
    return OPEN.includes(cmd.status) && cmd.claimedBy === instance && cmd.deadline.getTime() > Date.now();
  }

  /**
   * The commands sent to this agent and not claimed by another process, oldest first: what a lost
   * `command:run` push left behind (its node died, Redis was down). QUEUED ones are not here: they are sent
   * when the agent connects (startQueued).
   */
  async pending(agent: AuthActor, instance: string): Promise<CommandRunEvent[]> {
    const rows = await this.commands
      .createQueryBuilder('c')
      .where('c.agentId = :agent AND c.status IN (:...open) AND c.deadline > :now', {
        agent: agent.id,
        open: OPEN,
        now: dbTime(this.dataSource, new Date()),
      })
      .andWhere('(c.claimedBy IS NULL OR c.claimedBy = :instance)', { instance })
      .orderBy('c.id', 'ASC')
      .take(100)
      .getMany();
    if (!rows.length) return [];
    const from = await this.butler.ref();
    return rows.map((cmd) => runEvent(cmd, from));
  }
}
