/** Model tokens spent, summed over some turns. */
export interface UsageTotalsDto {
  promptTokens: number;
  completionTokens: number;
  /** Butler turns that called the model. */
  turns: number;
  /** Cost in the price setting's currency; null when no price is set for a model involved. */
  cost: number | null;
}

/** GET /api/conversations/:id/usage — what one thread has spent, in total and per model. */
export interface ThreadUsageDto extends UsageTotalsDto {
  conversationId: number;
  byModel: ({ model: string } & UsageTotalsDto)[];
}

/** One line of the admin usage report: one user, one model, one UTC day. */
export interface UsageReportRowDto extends UsageTotalsDto {
  day: string;
  userId: number;
  username: string;
  model: string;
}

/** GET /api/usage — the admin report for a range of UTC days, with the budget and prices in force. */
export interface UsageReportDto {
  from: string;
  to: string;
  rows: UsageReportRowDto[];
  totals: UsageTotalsDto;
  /** Per-user daily token budget (prompt + completion); 0 = none. */
  dailyTokenBudget: number;
  /** Price per 1,000 tokens by model, as set in butler.pricesPer1k. */
  prices: Record<string, number>;
}
