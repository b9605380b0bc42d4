import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ApprovalSettled } from '../../approvals/approval-events';
import { ApprovalFollowups, type OwedFollowup } from '../../approvals/approval-followups';
import { MAX_CLEAR_IDS, TurnMarks, type MarkedTurn } from '../../chat/thread-store/turn-marks';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { PresenceService } from '../../gateway/presence.service';

/** A human's message to the Butler that a node which is gone still owed an answer. */
export type OrphanedTurn = MarkedTurn;

/** An ended approval whose thread a node that is gone still owed the follow-up. */
export type OrphanedFollowup = OwedFollowup;

/**
 * Which human messages to the Butler are still owed an answer, and which ended approvals a follow-up, kept
 * in the database as marks on the rows themselves: a message's `turn_node` (this node's presence id,
 * written by chat with the message, so it costs the hot path no extra statement; chat's TurnMarks) and an
 * approval's `followup_node` (approvals' ApprovalFollowups). Settled turns are cleared in bulk once a
 * heartbeat, so the index on the mark holds little more than the turns in flight. A survivor takes over a
 * dead node's marks one by one through a conditional update: exactly one taker per message.
 */
@Injectable()
export class TurnLedger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private settledIds: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('TurnLedger');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly presence: PresenceService,
    private readonly marks: TurnMarks,
    private readonly followups: ApprovalFollowups,
  ) {}

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
      const ids = this.settledIds.splice(0, MAX_CLEAR_IDS);
      try {
        await this.marks.clear(this.nodeId, ids);
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
    const turns = await this.goneOnly(
      (live) => this.marks.markedOutside(live, limit),
      (t) => t.turnNode,
    );
    return turns.sort((a, b) => a.id - b.id);
  }

  /** Whether a Butler reply to this message is stored (the dead node answered, then died before clearing). */
  async answered(turn: OrphanedTurn): Promise<boolean> {
    if (turn.conversationId === null) return false;
    return this.marks.hasReply(turn.conversationId, turn.id);
  }

  /** Takes the message over from the node that left it; true for exactly one taker. */
  async claim(turn: OrphanedTurn): Promise<boolean> {
    return this.marks.move(turn.id, turn.turnNode, this.nodeId);
  }

  /** Drops the mark of an orphan that needs no answer (answered already, or its thread is gone). */
  async drop(turn: OrphanedTurn): Promise<void> {
    await this.marks.move(turn.id, turn.turnNode, null);
  }

  /**
   * While this node shuts down, its gateway row is gone and a survivor may take its turns over. A turn
   * finishing then stores its answer only if this settles the message first (no survivor took it).
   */
  async settleNow(messageId: number): Promise<boolean> {
    return this.marks.move(messageId, this.nodeId, null);
  }

  /** Ended approvals whose follow-up a node that is gone still owed, oldest first. */
  async orphanedFollowups(limit: number): Promise<OrphanedFollowup[]> {
    return this.goneOnly(
      (live) => this.followups.owedOutside(live, limit),
      (f) => f.followupNode,
    );
  }

  /** Takes a follow-up over from the node that left it; true for exactly one taker. */
  async claimFollowup(f: OrphanedFollowup): Promise<boolean> {
    return this.followups.move(f.approvalId, f.followupNode, this.nodeId);
  }

  /**
   * The thread has been told (or needs no telling): the mark goes. True while it was still this node's;
   * while shutting down, a follow-up is stored only then (no survivor took it over meanwhile).
   */
  async followupDone(approvalId: number): Promise<boolean> {
    return this.followups.move(approvalId, this.nodeId, null);
  }

  /** The ended approval and its command, as the node that ended it would have handed them over. */
  loadFollowup(f: OrphanedFollowup): Promise<ApprovalSettled | null> {
    return this.followups.settled(f.approvalId);
  }

  /**
   * Marked rows whose node is gone. `read` skips this node and the nodes registered before it runs (so
   * its limit is not spent on live nodes' work in flight); the nodes registered *after* it ran are left
   * out too. A node registers before it marks anything, so a node that marked a row `read` saw is in
   * that second list unless it is really gone. Without it, a node starting between the two reads would
   * have its first turns taken over while it answers them.
   */
  private async goneOnly<T>(read: (live: string[]) => Promise<T[]>, nodeOf: (row: T) => string): Promise<T[]> {
    const live = await this.presence.liveNodeIds();
    const rows = await read([this.nodeId, ...live.filter((id) => id !== this.nodeId)]);
    if (!rows.length) return rows;
    const stillLive = new Set(await this.presence.liveNodeIds());
    return rows.filter((row) => !stillLive.has(nodeOf(row)));
  }
}
