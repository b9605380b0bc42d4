import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { AgentCommandDto, CommandStatus } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { CurrentActor } from '../auth/auth.decorators';
import { notFound } from '../common/api-error';
import { ApiErrors } from '../common/swagger';
import { toCommandDto } from './command.mapper';
import { CommandsService } from './commands.service';

class CancelCommandDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

class WaitingQueryDto {
  @ApiProperty({ description: 'The Butler thread' }) @Type(() => Number) @IsInt() @Min(1) conversationId: number;
}

// Not "AgentCommandDoc": that name is the card entry of GET /api/agents; a shared name makes Swagger keep only one.
class CommandRunDoc implements AgentCommandDto {
  @ApiProperty() id: number;
  @ApiProperty() agentId: number;
  @ApiProperty() command: string;
  @ApiProperty({ nullable: true, type: String }) args: string | null;
  @ApiProperty({ enum: ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'EXPIRED'] })
  status: CommandStatus;
  @ApiProperty({ nullable: true, type: String }) result: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ format: 'date-time' }) deadline: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt: string | null;
}

@ApiTags('commands')
@ApiBearerAuth('jwt')
@ApiErrors(401, 404)
@Controller('commands')
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Get('waiting')
  @ApiOperation({
    summary: "A thread's commands QUEUED for an offline agent that the caller may cancel (their own; admins: all)",
  })
  @ApiOkResponse({ type: [CommandRunDoc] })
  @ApiErrors(400)
  async waiting(@CurrentActor() actor: AuthActor, @Query() q: WaitingQueryDto): Promise<AgentCommandDto[]> {
    return (await this.commands.waitingIn(actor, q.conversationId)).map(toCommandDto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent command (its requester or an admin)' })
  @ApiOkResponse({ type: CommandRunDoc })
  async get(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<AgentCommandDto> {
    const cmd = await this.commands.get(id);
    // Someone else's command is "not found", as a missing one, so ids cannot be probed.
    if (!cmd || (actor.kind !== 'ADMIN' && cmd.requestedBy !== actor.id)) throw notFound('Command');
    return toCommandDto(cmd);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a running command; the agent gets command:cancel' })
  @ApiOkResponse({ type: CommandRunDoc })
  async cancel(
    @CurrentActor() actor: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CancelCommandDto,
  ): Promise<AgentCommandDto> {
    return toCommandDto(await this.commands.cancel(actor, id, dto.reason ?? `cancelled by ${actor.name}`));
  }
}
