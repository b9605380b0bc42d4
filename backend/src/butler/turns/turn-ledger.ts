import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApprovalSettled } from '../../approvals/approval-events';
import { Approval } from '../../approvals/approval.entity';
import { AgentCommand } from '../../commands/agent-command.entity';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { PresenceService } from '../../gateway/presence.service';
import { SqlRunner } from '../../database/sql-runner';

/** A human's message to the Butler that a node which is gone still owed an answer. */
export interface OrphanedTurn {
  id: number;
  conversationId: number | null;
  senderId: number;
  turnNode: string;
}

/** An ended approval whose thread a node that is gone still owed the follow-up. */
export interface OrphanedFollowup {
  approvalId: number;
  followupNode: string;
}

// Where each kind of mark lives: which node owes the answer to a message, or the follow-up of an approval.
const MARKS = { turn: ['chat_messages', 'turn_node'], followup: ['approvals', 'followup_node'] } as const;
// Ids per clearing statement: well inside every driver's parameter limit.
const CLEAR_BATCH = 500;
const ORPHANED_FOLLOWUPS_SQL =
  'SELECT id, followup_node FROM approvals WHERE followup_node IS NOT NULL AND followup_node <> ? AND followup_node NOT IN (SELECT node_id FROM gateway_nodes) ORDER BY id LIMIT ?';
// No ORDER BY: ordering by id could make MySQL walk the primary key instead of the small turn_node index.
const ORPHANS_SQL =
  'SELECT id, conversation_id, sender_id, turn_node FROM chat_messages WHERE turn_node IS NOT NULL AND turn_node <> ? AND turn_node NOT IN (SELECT node_id FROM gateway_nodes) LIMIT ?';

/**
 * Which human messages to the Butler are still owed an answer, kept in the database. The mark is the
 * row's `turn_node` (this node's presence id), written with the message itself, so it costs the hot path
 * no extra statement. Settled turns are cleared in bulk once a heartbeat, so the index on it holds
 * little more than the turns in flight. A survivor takes over a dead node's marks one by one through a
 * conditional update: exactly one taker per message.
 */
@Injectable()
export class TurnLedger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sql: SqlRunner;
  private settledIds: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('TurnLedger');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly presence: PresenceService,
  ) {
    this.sql = new SqlRunner(dataSource);
  }

  get nodeId(): string {
    return this.presence.nodeId;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.clearSettled(), this.config.presence.heartbeatMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.clearSettled();
  }

  /** The turn for this message is over (answered, or nothing to say): its mark goes at the next clearing. */
  settled(messageId: number): void {
    this.settledIds.push(messageId);
  }

  async clearSettled(): Promise<void> {
    while (this.settledIds.length) {
      const ids = this.settledIds.splice(0, CLEAR_BATCH);
      try {
        await this.sql.affected(
          `UPDATE chat_messages SET turn_node = NULL WHERE turn_node = ? AND id IN (${ids.map(() => '?').join(',')})`,
          [this.nodeId, ...ids],
        );
      } catch (err) {
        // Kept for the next round: a mark left behind only costs a survivor an "already answered" check.
        this.settledIds.unshift(...ids);
        this.logger.warn(`could not clear settled turns: ${(err as Error).message}`);
        return;
      }
    }
  }

  /**
   * Marks of nodes no longer registered (crashed and swept, or shut down), oldest first. Never this
   * node's own: swept for a stall, it re-registers and still answers them itself.
   */
  async orphans(limit: number): Promise<OrphanedTurn[]> {
    const rows = await this.sql.rows<{
      id: number | string;
      conversation_id: number | string | null;
      sender_id: number | string;
      turn_node: string;
    }>(ORPHANS_SQL, [this.nodeId, limit]);
    return rows
      .map((r) => ({
        id: Number(r.id),
        conversationId: r.conversation_id === null ? null : Number(r.conversation_id),
        senderId: Number(r.sender_id),
        turnNode: r.turn_node,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Whether a Butler reply to this message is stored (the dead node answered, then died before clearing). */
  async answered(turn: OrphanedTurn): Promise<boolean> {
    if (turn.conversationId === null) return false;
    const rows = await this.sql.rows(
      'SELECT 1 AS yes FROM chat_messages WHERE conversation_id = ? AND id > ? AND reply_to = ? LIMIT 1',
      [turn.conversationId, turn.id, turn.id],
    );
    return rows.length > 0;
  }

  /** Takes the message over from the node that left it; true for exactly one taker. */
  async claim(turn: OrphanedTurn): Promise<boolean> {
    return this.moveMark('turn', turn.id, turn.turnNode, this.nodeId);
  }

  /** Drops the mark of an orphan that needs no answer (answered already, or its thread is gone). */
  async drop(turn: OrphanedTurn): Promise<void> {
    await this.moveMark('turn', turn.id, turn.turnNode, null);
  }

  /**
   * While this node shuts down, its gateway row is gone and a survivor may take its turns over. A turn
   * finishing then stores its answer only if this settles the message first (no survivor took it).
   */
  async settleNow(messageId: number): Promise<boolean> {
    return this.moveMark('turn', messageId, this.nodeId, null);
  }

  /** Ended approvals whose follow-up a node that is gone still owed, oldest first. */
  async orphanedFollowups(limit: number): Promise<OrphanedFollowup[]> {
    const rows = await this.sql.rows<{ id: number | string; followup_node: string }>(ORPHANED_FOLLOWUPS_SQL, [
      this.nodeId,
      limit,
    ]);
    return rows.map((r) => ({ approvalId: Number(r.id), followupNode: r.followup_node }));
  }

  /** Takes a follow-up over from the node that left it; true for exactly one taker. */
  async claimFollowup(f: OrphanedFollowup): Promise<boolean> {
    return this.moveMark('followup', f.approvalId, f.followupNode, this.nodeId);
  }

  /**
   * The thread has been told (or needs no telling): the mark goes. True while it was still this node's;
   * while shutting down, a follow-up is stored only then (no survivor took it over meanwhile).
   */
  async followupDone(approvalId: number): Promise<boolean> {
    return this.moveMark('followup', approvalId, this.nodeId, null);
  }

  /** Hands a mark from `from` to `to` (null: unmarked) only while `from` still holds it; true when it did. */
  private async moveMark(kind: keyof typeof MARKS, id: number, from: string, to: string | null): Promise<boolean> {
    const [table, column] = MARKS[kind];
    return (
      (await this.sql.affected(`UPDATE ${table} SET ${column} = ? WHERE id = ? AND ${column} = ?`, [to, id, from])) ===
      1
    );
  }

  /** The ended approval and its command, as the node that ended it would have handed them over. */
  async loadFollowup(f: OrphanedFollowup): Promise<ApprovalSettled | null> {
    const approval = await this.dataSource.getRepository(Approval).findOneBy({ id: f.approvalId });
    if (!approval) return null;
    const command =
      approval.commandId === null
        ? null
        : await this.dataSource.getRepository(AgentCommand).findOneBy({ id: approval.commandId });
    return { approval, command };
  }
}
