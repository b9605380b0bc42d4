import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AllowRuleDto, ApprovalContextDto, ApprovalDto, ApprovalStatus, Page } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { ApprovalContextService } from './approval-context.service';
import { AllowRules } from './allow-rules.service';
import { ApprovalDecisions } from './approval-decisions.service';
import { ApprovalsService } from './approvals.service';
import {
  AllowRuleDoc,
  ApprovalContextDoc,
  ApprovalDecisionDto,
  ApprovalDoc,
  ApprovalPageDoc,
  ApprovalQueryDto,
} from './dto/approval.dto';

@ApiTags('approvals')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@Controller('approvals')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly decisions: ApprovalDecisions,
    private readonly contexts: ApprovalContextService,
    private readonly rulesService: AllowRules,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Approvals, newest first (admins: all; members: their own)' })
  @ApiOkResponse({ type: ApprovalPageDoc })
  @ApiErrors(400)
  list(@CurrentActor() actor: AuthActor, @Query() q: ApprovalQueryDto): Promise<Page<ApprovalDto>> {
    const status = q.status?.split(',') as ApprovalStatus[] | undefined;
    return this.approvals.list(actor, {
      status,
      agentId: q.agentId,
      requestedBy: q.requestedBy,
      before: q.before,
      limit: q.limit,
    });
  }

  @Get('rules')
  @AdminOnly()
  @ApiOperation({
    summary: 'Allow-rules ("always allow"): pattern, requester, expiry, who made them from which approval, hits',
  })
  @ApiOkResponse({ type: [AllowRuleDoc] })
  rules(): Promise<AllowRuleDto[]> {
    return this.rulesService.list();
  }

  @Delete('rules/:id')
  @SessionOnly()
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an allow-rule (audited)' })
  @ApiErrors(404)
  async deleteRule(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.rulesService.revoke(admin, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One approval with its audit trail' })
  @ApiOkResponse({ type: ApprovalDoc })
  @ApiErrors(404)
  get(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<ApprovalDto> {
    return this.approvals.get(actor, id);
  }

  @Get(':id/context')
  @ApiOperation({ summary: 'The last messages of the thread that led to an approval (admins, or its requester)' })
  @ApiOkResponse({ type: ApprovalContextDoc })
  @ApiErrors(404)
  context(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<ApprovalContextDto> {
    return this.contexts.context(actor, id);
  }

  @Post(':id/decision')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve (optionally edited) or reject; exactly one decision wins, a second gets 409',
    description:
      'With remember "always" (admins) an allow-rule is stored: by default the exact command, any requester, 30 days; `rule` widens or narrows it. Refused (400) for a DESTRUCTIVE approval.',
  })
  @ApiOkResponse({ type: ApprovalDoc })
  @ApiErrors(400, 404, 409)
  decide(
    @CurrentActor() actor: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ApprovalDecisionDto,
  ): Promise<ApprovalDto> {
    return this.decisions.decide(actor, id, dto, 'REST');
  }
}
