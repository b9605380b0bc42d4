import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LogDto, Page } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AllowKinds, CurrentActor } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { CreateLogDto, LogDtoDoc, LogPageDoc, LogQueryDto } from './dto/log.dto';
import { LogsService } from './logs.service';

@ApiTags('logs')
@ApiBearerAuth('jwt')
@ApiBearerAuth('agent-token')
@ApiErrors(401, 403)
@Controller('logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Post()
  @AllowKinds('AGENT', 'ADMIN')
  @ApiOperation({ summary: 'Report a log (an agent with its token, or an admin)' })
  @ApiCreatedResponse({ type: LogDtoDoc })
  @ApiErrors(400)
  create(@CurrentActor() actor: AuthActor, @Body() dto: CreateLogDto): Promise<LogDto> {
    return this.logs.create(actor, dto.level, dto.content, dto.localId);
  }

  @Get()
  @AllowKinds('ADMIN', 'MEMBER', 'AGENT')
  @ApiOperation({ summary: 'Filtered, keyset-paginated logs (humans, and agents such as an auditor)' })
  @ApiOkResponse({ type: LogPageDoc })
  @ApiErrors(400)
  list(@Query() query: LogQueryDto): Promise<Page<LogDto>> {
    return this.logs.query(query);
  }
}
