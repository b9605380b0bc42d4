import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { ButlerService } from './butler.service';
import { TurnLedger } from './turn-ledger';

// Orphans taken per round; more wait for the next heartbeat.
const ROUND_LIMIT = 200;

/**
 * Answers what a node that is gone still owed: a human's message to the Butler whose node crashed (and
 * was swept by presence) or shut down before its turn ended, and the thread's follow-up of an approval
 * that ended there. Every node looks once a heartbeat and at
 * start; each orphan is claimed by exactly one node, which runs the turn as if the message had just
 * arrived. An orphan whose answer is already stored is only unmarked.
 */
@Injectable()
export class TurnRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private closing = false;
  private readonly logger = new Logger('TurnRecovery');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: TurnLedger,
    private readonly butler: ButlerService,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.presence.heartbeatMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
  }

  /** One round; a round still running (turns take a model call) is not doubled. Resolves once claims are made. */
  sweep(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.round ??= this.claimOrphans().finally(() => (this.round = null));
    return this.round;
  }

  private async claimOrphans(): Promise<void> {
    try {
      for (const orphan of await this.ledger.orphans(ROUND_LIMIT)) {
        if (this.closing) return;
        if (await this.ledger.answered(orphan)) await this.ledger.drop(orphan);
        else if (await this.ledger.claim(orphan)) {
          this.logger.log(`answering message ${orphan.id}, left unanswered by node ${orphan.turnNode}`);
          void this.butler
            .recover(orphan)
            .catch((err: Error) =>
              this.logger.error(`recovered turn for message ${orphan.id} failed: ${err.stack ?? err.message}`),
            );
        }
      }
      for (const f of await this.ledger.orphanedFollowups(ROUND_LIMIT)) {
        if (this.closing) return;
        if (!(await this.ledger.claimFollowup(f))) continue;
        const settled = await this.ledger.loadFollowup(f);
        if (!settled) continue;
        this.logger.log(`telling the thread how approval ${f.approvalId} ended, left untold by node ${f.followupNode}`);
        void this.butler
          .onSettled(settled)
          .catch((err: Error) =>
            this.logger.error(`recovered follow-up of approval ${f.approvalId} failed: ${err.stack ?? err.message}`),
          );
      }
    } catch (err) {
      this.logger.warn(`turn recovery round failed: ${(err as Error).message}`);
    }
  }
}
