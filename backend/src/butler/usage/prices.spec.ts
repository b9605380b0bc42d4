import { costOf, parsePrices } from './prices';

describe('prices per 1,000 tokens', () => {
  it('reads model=price pairs, spaces and empty parts allowed, model names with = kept whole', () => {
    expect(parsePrices(' gpt-4o=0.005, llama3=0 ,, org/model=v2=1.5')).toEqual({
      prices: { 'gpt-4o': 0.005, llama3: 0, 'org/model=v2': 1.5 },
      error: null,
    });
    expect(parsePrices(null)).toEqual({ prices: {}, error: null });
  });

  it('names the first malformed pair', () => {
    for (const bad of ['gpt-4o', 'gpt-4o=', '=1', 'm=-1', 'm=abc', 'a=1, b'])
      expect(parsePrices(bad).error).toMatch(/^must be model=price pairs/);
    expect(parsePrices('a=1, oops').error).toContain('"oops" is not');
  });

  it('prices tokens per thousand, and says null for a model without a price', () => {
    expect(costOf({ m: 2 }, 'm', 1500)).toBe(3);
    expect(costOf({ m: 0.005 }, 'm', 15)).toBe(0.000075);
    expect(costOf({ m: 2 }, 'other', 1500)).toBeNull();
  });
});
