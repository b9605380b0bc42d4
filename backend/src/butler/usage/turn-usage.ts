/** What the model reported for one call (the streamed usage chunk, or a whole answer's `usage`). */
export interface CallUsage {
  promptTokens: number;
  completionTokens: number;
}

/** Sums one turn's model calls (tool rounds included); the brain adds, ButlerService stores. */
export class TurnUsage {
  model: string | null = null;
  promptTokens = 0;
  completionTokens = 0;
  modelCalls = 0;

  add(model: string, usage: CallUsage | null): void {
    this.model = model;
    this.modelCalls++;
    if (!usage) return;
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
  }
}

/** The OpenAI usage object, as numbers; null when the endpoint sent none. */
export function callUsage(
  usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined,
): CallUsage | null {
  if (!usage) return null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
  return { promptTokens: n(usage.prompt_tokens), completionTokens: n(usage.completion_tokens) };
}

/** Today's UTC day as stored (YYYY-MM-DD). */
export const utcDay = (at: Date = new Date()): string => at.toISOString().slice(0, 10);
