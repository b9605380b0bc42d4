import { Injectable } from '@nestjs/common';
import { SettingsService } from '../../settings/settings.service';
import type { BrainNotice } from '../brain/brain';
import { UsageService } from './usage.service';

/**
 * The per-user daily token budget (butler.dailyTokenBudget). Checked before a turn goes to the model:
 * a turn over it is answered by the hub and costs nothing. A turn already running finishes, so a user
 * may go over by at most one turn's worth.
 */
@Injectable()
export class TurnBudget {
  constructor(
    private readonly settings: SettingsService,
    private readonly usage: UsageService,
  ) {}

  /** The reply that replaces the model's when the user is over budget; null when the turn may go ahead. */
  async refusal(userId: number, notice?: BrainNotice): Promise<string | null> {
    const budget = this.settings.butler().dailyTokenBudget;
    if (budget <= 0) return null;
    const used = await this.usage.tokensToday(userId);
    if (used < budget) return null;
    const why = `today's model budget is used up (${used.toLocaleString('en-US')} of ${budget.toLocaleString('en-US')} tokens, counted per UTC day)`;
    // A notice (an approval or command outcome) still reaches the thread, in the hub's own words.
    if (notice) return `${notice.text}\n\n(Not passed to the model: ${why}.)`;
    return `⚠️ I did not send this to the model: ${why}. The budget resets at 00:00 UTC; an admin can raise it in Settings → Butler.`;
  }
}
