/** Limits of a decision, shared by the REST DTOs and the socket payload parser so both refuse the same input. */
export const DECISION_LIMITS = {
  /** An edited command, as it should run. */
  command: 2000,
  reason: 1000,
  rulePattern: 2000,
  ruleDays: { min: 1, max: 365 },
} as const;

// Control (tabs and newlines too), format (bidi, zero-width) and line-break characters: a rule shows what it covers.
export const VISIBLE_ONLY = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;
export const VISIBLE_ONLY_MESSAGE = 'must not contain control, bidi or other invisible characters';
