import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ChatMessageDoc } from '../../chat/dto/chat-history.dto';
import { PageLimitParam } from '../../common/pagination';
import { DECISION_LIMITS, VISIBLE_ONLY, VISIBLE_ONLY_MESSAGE } from '../approval-limits';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type {
  AllowRuleDto,
  AllowRuleScope,
  ApprovalContextDto,
  ApprovalDecisionRequest,
  ApprovalDto,
  ApprovalStatus,
  ChatMessageDto,
  CommandOutcome,
  CommandOutcomeKind,
  CommandPolicy,
  DecisionChannel,
  Page,
} from '@echocenter/contracts';

export const APPROVAL_STATUSES: ApprovalStatus[] = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'EXPIRED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
];
const STATUS_LIST = new RegExp(`^(${APPROVAL_STATUSES.join('|')})(,(${APPROVAL_STATUSES.join('|')}))*$`);

export class AllowRuleScopeDto implements AllowRuleScope {
  @ApiPropertyOptional({
    description:
      'Words separated by spaces; the first is the command name. Same number of words as the command; each argument word is literal or a ' +
      'picomatch glob (`*`, `?`, `[a-z]`, `{a,b}`) that covers only plain words (letters, digits, `. _ - / : = , @ + %`). Default: the exact command.',
    example: 'restart_service web-*',
    maxLength: DECISION_LIMITS.rulePattern,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(DECISION_LIMITS.rulePattern)
  @Matches(VISIBLE_ONLY, { message: `pattern ${VISIBLE_ONLY_MESSAGE}` })
  pattern?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: "Only when this user asks: the approval's requester; null or absent: anyone",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  requesterId?: number | null;

  @ApiPropertyOptional({
    minimum: DECISION_LIMITS.ruleDays.min,
    maximum: DECISION_LIMITS.ruleDays.max,
    default: 30,
    description: 'Days until the rule stops firing',
  })
  @IsOptional()
  @IsInt()
  @Min(DECISION_LIMITS.ruleDays.min)
  @Max(DECISION_LIMITS.ruleDays.max)
  expiresInDays?: number;
}

export class ApprovalDecisionDto implements ApprovalDecisionRequest {
  @ApiProperty() @IsBoolean() approved: boolean;

  @ApiPropertyOptional({
    description: 'The command as it should run (an edit of the proposal)',
    maxLength: DECISION_LIMITS.command,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(DECISION_LIMITS.command)
  command?: string;

  @ApiPropertyOptional({ maxLength: DECISION_LIMITS.reason })
  @IsOptional()
  @IsString()
  @MaxLength(DECISION_LIMITS.reason)
  reason?: string;

  @ApiPropertyOptional({
    enum: ['always'],
    description:
      'Store an allow-rule (admins; not for DESTRUCTIVE approvals): by default the exact command, anyone, 30 days',
  })
  @IsOptional()
  @IsIn(['always'])
  remember?: 'always';

  @ApiPropertyOptional({ type: AllowRuleScopeDto, description: "With remember 'always': how far the rule reaches" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AllowRuleScopeDto)
  rule?: AllowRuleScopeDto;
}

export class ApprovalQueryDto {
  @ApiPropertyOptional({ description: 'One status or several, comma-separated', example: 'PENDING' })
  @IsOptional()
  @IsString()
  @Matches(STATUS_LIST, { message: `status must be a comma-separated list of ${APPROVAL_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Only requests for this agent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  agentId?: number;
  @ApiPropertyOptional({ description: 'Only requests by this user (members always see only their own)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  requestedBy?: number;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @PageLimitParam(50) limit?: number;
}

const OUTCOME_KINDS: CommandOutcomeKind[] = ['output', 'no_output', 'failed', 'timed_out', 'cancelled', 'expired'];

export class ApprovalDoc implements ApprovalDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) conversationId: number | null;
  @ApiProperty() requestedBy: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "The requester's personal access token it came with; null: a console session",
  })
  requestedViaTokenId: number | null;
  @ApiProperty() agentId: number;
  @ApiProperty() agentName: string;
  @ApiProperty({ description: 'The command that runs (after any edit)' }) command: string;
  @ApiProperty() proposedCommand: string;
  @ApiProperty({ nullable: true, type: String }) executedCommand: string | null;
  @ApiProperty() reasoning: string;
  @ApiProperty({ enum: APPROVAL_STATUSES }) status: ApprovalStatus;
  @ApiProperty({ nullable: true, type: Number }) decidedBy: number | null;
  @ApiProperty({ nullable: true, type: String }) decidedByName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt: string | null;
  @ApiProperty({ nullable: true, enum: ['SOCKET', 'REST', 'RULE', 'LINK'] }) decisionChannel: DecisionChannel | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason: string | null;
  @ApiProperty({ nullable: true, type: Number }) commandId: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The output, or an English line saying why there is none ("failed: …"); consoles show `outcome`',
  })
  result: string | null;
  // Inline, not a $ref: OpenAPI 3.0's `nullable` does not reach into a referenced schema, so null would not validate.
  @ApiProperty({
    nullable: true,
    type: 'object',
    properties: {
      kind: {
        type: 'string',
        enum: OUTCOME_KINDS,
        description:
          "output: the output is the approval's `result`; cancelled: by a person; expired: its agent never came online",
      },
      detail: {
        type: 'string',
        nullable: true,
        description: "The agent's error (failed) or the cancel reason (cancelled), as written; else null",
      },
    },
    required: ['kind', 'detail'],
    description: 'How its command ended, for a client to word in its own language; null until it has',
  })
  outcome: CommandOutcome | null;
  @ApiProperty({
    enum: ['NEEDS_APPROVAL', 'DESTRUCTIVE'],
    description: "The command's effective policy when requested",
  })
  policy: CommandPolicy;
  @ApiProperty({
    nullable: true,
    type: [String],
    description: 'The nodes an ops command covers, resolved when it was requested; only these run',
  })
  targets: string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class ApprovalPageDoc implements Page<ApprovalDto> {
  @ApiProperty({ type: [ApprovalDoc] }) items: ApprovalDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}

export class AllowRuleDoc implements AllowRuleDto {
  @ApiProperty() id: number;
  @ApiProperty() agentId: number;
  @ApiProperty() agentName: string;
  @ApiProperty() commandName: string;
  @ApiProperty({ description: 'Glob (picomatch) the whole command text must match' }) pattern: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Only for this requester; null: anyone' }) requesterId:
    number | null;
  @ApiProperty({ nullable: true, type: String }) requesterName: string | null;
  @ApiProperty() createdBy: number;
  @ApiProperty() createdByName: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The approval it was made from' }) approvalId:
    number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty({ description: 'How often it decided an approval' }) hits: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt: string | null;
}

export class ApprovalContextDoc implements ApprovalContextDto {
  @ApiProperty() approvalId: number;
  @ApiProperty({
    type: [ChatMessageDoc],
    description: 'The last messages of its thread up to the decision, oldest first',
  })
  messages: ChatMessageDto[];
}
