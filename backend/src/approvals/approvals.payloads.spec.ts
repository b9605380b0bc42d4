import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApprovalDecisionDto } from './dto/approval.dto';
import { DECISION_LIMITS } from './approval-limits';
import { parseApprovalRespond } from './approvals.payloads';

/** The socket parser and the REST DTO share their limits: whatever one refuses, the other refuses too. */
describe('approval:respond payload and ApprovalDecisionDto', () => {
  const socketRefuses = (body: Record<string, unknown>) => {
    try {
      parseApprovalRespond({ id: 1, ...body });
      return false;
    } catch {
      return true;
    }
  };
  const restRefuses = (body: Record<string, unknown>) =>
    validateSync(plainToInstance(ApprovalDecisionDto, body)).length > 0;

  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['a plain approval', { approved: true }, false],
    ['a reason at the limit', { approved: false, reason: 'r'.repeat(DECISION_LIMITS.reason) }, false],
    ['a reason one over', { approved: false, reason: 'r'.repeat(DECISION_LIMITS.reason + 1) }, true],
    ['an edited command at the limit', { approved: true, command: 'c'.repeat(DECISION_LIMITS.command) }, false],
    ['an edited command one over', { approved: true, command: 'c'.repeat(DECISION_LIMITS.command + 1) }, true],
    [
      'a rule of 365 days',
      { approved: true, remember: 'always', rule: { expiresInDays: DECISION_LIMITS.ruleDays.max } },
      false,
    ],
    [
      'a rule of 366 days',
      { approved: true, remember: 'always', rule: { expiresInDays: DECISION_LIMITS.ruleDays.max + 1 } },
      true,
    ],
    [
      'a rule pattern with a zero-width space',
      { approved: true, remember: 'always', rule: { pattern: 'restart\u200bweb' } },
      true,
    ],
  ];

  it.each(cases)('%s: refused by both or by neither', (_name, body, refused) => {
    expect(socketRefuses(body)).toBe(refused);
    expect(restRefuses(body)).toBe(refused);
  });
});
