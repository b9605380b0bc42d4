/**
 * The price setting: `model=price` pairs (price per 1,000 tokens, prompt and completion alike), separated
 * by commas, e.g. `gpt-4o=0.005, llama3=0`. Parsed here for validation and for the usage report.
 */
export function parsePrices(text: string | null): { prices: Record<string, number>; error: string | null } {
  const prices: Record<string, number> = {};
  if (!text) return { prices, error: null };
  for (const part of text.split(',')) {
    const pair = part.trim();
    if (!pair) continue;
    const eq = pair.lastIndexOf('=');
    const model = eq > 0 ? pair.slice(0, eq).trim() : '';
    const price = Number(pair.slice(eq + 1).trim());
    if (!model || eq === pair.length - 1 || !Number.isFinite(price) || price < 0) {
      return {
        prices: {},
        error: `must be model=price pairs separated by commas (e.g. "gpt-4o=0.005, llama3=0"); "${pair.slice(0, 40)}" is not`,
      };
    }
    prices[model] = price;
  }
  return { prices, error: null };
}

/** Cost of some tokens of one model, or null when the model has no price. */
export function costOf(prices: Record<string, number>, model: string, tokens: number): number | null {
  const price = prices[model];
  return price === undefined ? null : Math.round(((tokens / 1000) * price + Number.EPSILON) * 1e6) / 1e6;
}
