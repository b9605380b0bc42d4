import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ThreadUsageDto, UsageReportDto } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import { AdminOnly, CurrentActor } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/swagger';
import { utcDay } from './turn-usage';
import { ThreadUsageDoc, UsageQueryDto, UsageReportDoc } from './usage.dto';
import { UsageService } from './usage.service';

@ApiTags('butler')
@ApiBearerAuth('jwt')
@ApiErrors(401)
@Controller()
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('conversations/:id/usage')
  @ApiOperation({ summary: "Model tokens one of the caller's threads has spent, in total and per model" })
  @ApiOkResponse({ type: ThreadUsageDoc })
  @ApiErrors(404)
  thread(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<ThreadUsageDto> {
    return this.usage.thread(actor, id);
  }

  @Get('usage')
  @AdminOnly()
  @ApiOperation({ summary: 'Model usage per user, model and UTC day, with cost where a price is set (admin)' })
  @ApiOkResponse({ type: UsageReportDoc })
  @ApiErrors(400, 403)
  report(@CurrentActor() actor: AuthActor, @Query() q: UsageQueryDto): Promise<UsageReportDto> {
    const to = q.to ?? utcDay();
    const from = q.from ?? utcDay(new Date(Date.parse(to) - 29 * 86_400_000));
    return this.usage.report(actor, from, to);
  }
}
