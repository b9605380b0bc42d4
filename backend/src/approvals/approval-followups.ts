import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CommandsService } from '../commands/commands.service';
import { SqlRunner } from '../database/sql-runner';
import type { ApprovalSettled } from './approval-events';
import { Approval } from './approval.entity';

/** An ended approval whose follow-up (telling its thread) a node still owes. */
export interface OwedFollowup {
  approvalId: number;
  followupNode: string;
}

const owedOutsideSql = (nodes: number) =>
  'SELECT id, followup_node FROM approvals WHERE followup_node IS NOT NULL ' +
  `AND followup_node NOT IN (${Array.from({ length: nodes }, () => '?').join(',')}) ORDER BY id LIMIT ?`;

/**
 * The follow-up marks of ended approvals: `followup_node` names the node that owes the approval's thread
 * the news (set by ApprovalTransitions in the update that ends it). The Butler's turn bookkeeping
 * (TurnLedger) reads and moves marks only through here; every move is one conditional update, so exactly
 * one caller wins it.
 */
@Injectable()
export class ApprovalFollowups {
  private readonly sql: SqlRunner;

  constructor(
    dataSource: DataSource,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly commands: CommandsService,
  ) {
    this.sql = new SqlRunner(dataSource);
  }

  /** Follow-ups owed by a node that is none of `nodes`, oldest first. */
  async owedOutside(nodes: string[], limit: number): Promise<OwedFollowup[]> {
    const rows = await this.sql.rows<{ id: number | string; followup_node: string }>(owedOutsideSql(nodes.length), [
      ...nodes,
      limit,
    ]);
    return rows.map((r) => ({ approvalId: Number(r.id), followupNode: r.followup_node }));
  }

  /** Hands the mark from `from` to `to` (null: told, unmarked) only while `from` still holds it; true when it did. */
  async move(approvalId: number, from: string, to: string | null): Promise<boolean> {
    return (
      (await this.sql.affected('UPDATE approvals SET followup_node = ? WHERE id = ? AND followup_node = ?', [
        to,
        approvalId,
        from,
      ])) === 1
    );
  }

  /** The ended approval and its command, as the node that ended it handed them over ('approvals.settled'). */
  async settled(approvalId: number): Promise<ApprovalSettled | null> {
    const approval = await this.approvals.findOneBy({ id: approvalId });
    if (!approval) return null;
    const command = approval.commandId === null ? null : await this.commands.get(approval.commandId);
    return { approval, command };
  }
}
