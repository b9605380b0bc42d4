import { effectivePolicy, resetReason, withPolicies, type PolicyDecision } from './effective-policy';

const decision = (d: Partial<PolicyDecision> = {}): PolicyDecision => ({
  readOnly: false,
  confirmedArgs: null,
  destructive: false,
  needsReview: false,
  ...d,
});

describe('effective command policy', () => {
  it('needs approval without a decision, whatever the card claims', () => {
    expect(effectivePolicy({ name: 'get', readOnly: true }, undefined)).toBe('NEEDS_APPROVAL');
    expect(effectivePolicy(undefined, decision({ readOnly: true }))).toBe('NEEDS_APPROVAL');
  });

  it('is read-only only while the confirmed claim and args still stand', () => {
    const confirmed = decision({ readOnly: true, confirmedArgs: '<name>' });
    expect(effectivePolicy({ name: 'get', args: '<name>', readOnly: true }, confirmed)).toBe('READ_ONLY');
    expect(effectivePolicy({ name: 'get', args: '<name> [--all]', readOnly: true }, confirmed)).toBe('NEEDS_APPROVAL');
    expect(effectivePolicy({ name: 'get', args: '<name>' }, confirmed)).toBe('NEEDS_APPROVAL');
    // No args and empty args are the same card.
    expect(effectivePolicy({ name: 'get', args: '', readOnly: true }, decision({ readOnly: true }))).toBe('READ_ONLY');
  });

  it('destructive wins over everything', () => {
    expect(effectivePolicy({ name: 'wipe', readOnly: true }, decision({ readOnly: true, destructive: true }))).toBe(
      'DESTRUCTIVE',
    );
    expect(effectivePolicy(undefined, decision({ destructive: true }))).toBe('DESTRUCTIVE');
  });

  it("believes an agent's own destructive warning, with or without a decision (an MCP tool's destructiveHint)", () => {
    expect(effectivePolicy({ name: 'write_file', destructive: true }, undefined)).toBe('DESTRUCTIVE');
    expect(
      effectivePolicy({ name: 'write_file', readOnly: true, destructive: true }, decision({ readOnly: true })),
    ).toBe('DESTRUCTIVE');
  });

  it('says why a confirmation no longer holds', () => {
    const confirmed = decision({ readOnly: true, confirmedArgs: '<name>' });
    expect(
      resetReason({ name: 'get', args: '<name>', readOnly: true, description: 'new words' }, confirmed),
    ).toBeNull();
    expect(resetReason({ name: 'get', args: '<name>', readOnly: false }, confirmed)).toBe('no longer claims read-only');
    expect(resetReason({ name: 'get', readOnly: true }, confirmed)).toBe('args changed: "<name>" → (none)');
    expect(resetReason({ name: 'get', readOnly: false }, decision())).toBeNull();
  });

  it("fills each command's policy and drops policy fields an agent sent", () => {
    const decisions = new Map([
      ['get', decision({ readOnly: true, needsReview: false })],
      ['put', decision({ needsReview: true })],
    ]);
    expect(
      withPolicies(
        [
          { name: 'get', readOnly: true, policy: 'DESTRUCTIVE' },
          { name: 'put', args: '<x>', readOnly: true, policy: 'READ_ONLY' },
        ],
        decisions,
      ),
    ).toEqual([
      { name: 'get', readOnly: true, policy: 'READ_ONLY' },
      { name: 'put', args: '<x>', readOnly: true, policy: 'NEEDS_APPROVAL', needsReview: true },
    ]);
    expect(withPolicies(null, new Map())).toEqual([]);
  });
});
