import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntryDto, Page } from '@echocenter/contracts';
import { AdminOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { AuditService } from './audit.service';
import { AuditPageDoc, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@AdminOnly()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Admin actions on users, agents, rules and policies, newest first (keyset paged)' })
  @ApiOkResponse({ type: AuditPageDoc })
  @ApiErrors(400)
  list(@Query() q: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    return this.audit.list(q);
  }
}
