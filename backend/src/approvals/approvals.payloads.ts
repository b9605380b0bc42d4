import type { AllowRuleScope, ApprovalRespondPayload } from '@echocenter/contracts';
import { PayloadReader } from '../gateway/payload-reader';
import { DECISION_LIMITS, VISIBLE_ONLY, VISIBLE_ONLY_MESSAGE } from './approval-limits';

/** `rule` of a decision, its problems collected into the outer reader as `rule.<field>`. */
function parseRule(r: PayloadReader): AllowRuleScope | undefined {
  if (!r.has('rule')) return undefined;
  const raw = r.raw('rule');
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    r.fail('rule', 'must be an object');
    return undefined;
  }
  const inner = PayloadReader.of(raw, 'rule.');
  const rule: AllowRuleScope = {};
  const pattern = inner.optStr('pattern', {
    max: DECISION_LIMITS.rulePattern,
    pattern: VISIBLE_ONLY,
    patternMessage: VISIBLE_ONLY_MESSAGE,
  });
  const expiresInDays = inner.optInt('expiresInDays', DECISION_LIMITS.ruleDays);
  if (pattern !== undefined) rule.pattern = pattern;
  if (inner.has('requesterId')) rule.requesterId = inner.int('requesterId');
  if (expiresInDays !== undefined) rule.expiresInDays = expiresInDays;
  r.errors.push(...inner.errors);
  return rule;
}

/** `approval:respond`: the socket twin of ApprovalDecisionDto, with the same limits. */
export function parseApprovalRespond(body: unknown): ApprovalRespondPayload {
  const r = PayloadReader.of(body);
  const out: ApprovalRespondPayload = { id: r.int('id'), approved: r.bool('approved') };
  const command = r.optStr('command', { max: DECISION_LIMITS.command });
  const reason = r.optStr('reason', { min: 0, max: DECISION_LIMITS.reason });
  const remember = r.has('remember') ? r.oneOf('remember', ['always'] as const) : undefined;
  const rule = parseRule(r);
  r.done();
  if (command !== undefined) out.command = command;
  if (reason !== undefined) out.reason = reason;
  if (remember !== undefined) out.remember = remember;
  if (rule !== undefined) out.rule = rule;
  return out;
}
