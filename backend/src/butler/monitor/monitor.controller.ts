import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { MonitorEventDto, Page } from '@echocenter/contracts';
import { AdminOnly } from '../../auth/auth.decorators';
import { PageLimitParam } from '../../common/pagination';
import { ApiErrors } from '../../common/swagger';
import { MonitorService } from './monitor.service';

class MonitorQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) agentId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @PageLimitParam(50) limit?: number;
}

class MonitorEventDoc implements MonitorEventDto {
  @ApiProperty() id: number;
  @ApiProperty() agentId: number;
  @ApiProperty({ enum: ['TO_AGENT', 'FROM_AGENT'] }) direction: 'TO_AGENT' | 'FROM_AGENT';
  @ApiProperty({ nullable: true, type: Number }) commandId: number | null;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

class MonitorPageDoc implements Page<MonitorEventDto> {
  @ApiProperty({ type: [MonitorEventDoc] }) items: MonitorEventDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}

@ApiTags('butler')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@Controller('butler/monitor')
export class MonitorController {
  constructor(private readonly monitor: MonitorService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'The Butler↔agent transcript, newest first (admins)' })
  @ApiOkResponse({ type: MonitorPageDoc })
  list(@Query() q: MonitorQueryDto): Promise<Page<MonitorEventDto>> {
    return this.monitor.list(q);
  }
}
