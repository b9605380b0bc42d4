import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { AllowRuleScope, ApprovalRespondPayload } from '@echocenter/contracts';
import { isHuman } from '../auth/auth-actor';
import { PayloadReader } from '../gateway/payload-reader';
import { handleEvent, SocketException } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { ApprovalDecisions } from './approval-decisions.service';

// Control (tabs and newlines too), format (bidi, zero-width) and line-break characters: a rule shows what it covers.
const VISIBLE_ONLY = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

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
  const pattern = inner.optStr('pattern', { max: 2000, pattern: VISIBLE_ONLY, patternMessage: 'must not contain control, bidi or other invisible characters' });
  const expiresInDays = inner.optInt('expiresInDays', { min: 1, max: 365 });
  if (pattern !== undefined) rule.pattern = pattern;
  if (inner.has('requesterId')) rule.requesterId = inner.int('requesterId');
  if (expiresInDays !== undefined) rule.expiresInDays = expiresInDays;
  r.errors.push(...inner.errors);
  return rule;
}

function parseRespond(body: unknown): ApprovalRespondPayload {
  const r = PayloadReader.of(body);
  const out: ApprovalRespondPayload = { id: r.int('id'), approved: r.bool('approved') };
  const command = r.optStr('command', { max: 2000 });
  const reason = r.optStr('reason', { min: 0, max: 1000 });
  const remember = r.has('remember') ? r.oneOf('remember', ['always'] as const) : undefined;
  const rule = parseRule(r);
  r.done();
  if (command !== undefined) out.command = command;
  if (reason !== undefined) out.reason = reason;
  if (remember !== undefined) out.remember = remember;
  if (rule !== undefined) out.rule = rule;
  return out;
}

/** `approval:respond`: the socket twin of POST /api/approvals/:id/decision. */
@WebSocketGateway()
export class ApprovalsGateway {
  constructor(private readonly decisions: ApprovalDecisions) {}

  @SubscribeMessage('approval:respond')
  respond(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'approval:respond', ack, async () => {
      if (!isHuman(client.data.actor)) throw new SocketException('FORBIDDEN', 'Only humans decide on approvals');
      const { id, ...decision } = parseRespond(body);
      return { approval: await this.decisions.decide(client.data.actor, id, decision, 'SOCKET') };
    });
  }
}
