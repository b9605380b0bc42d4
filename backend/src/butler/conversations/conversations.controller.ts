import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { ChatMessageDto, ConversationDto, Page } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { KeysetQuery } from '../../common/pagination';
import { ApiErrors } from '../../common/swagger';
import { ConversationDoc, CreateConversationDto, toConversationDto, UpdateConversationDto } from './conversation.dto';
import { ConversationsService } from './conversations.service';

class ConversationListQuery {
  @ApiPropertyOptional({ description: 'true: only archived threads; false: only open ones; absent: all' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  archived?: boolean;
}

@ApiTags('butler')
@ApiBearerAuth('jwt')
@ApiErrors(401)
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's Butler threads: pinned first, then most recently active" })
  @ApiOkResponse({ type: [ConversationDoc] })
  list(@CurrentActor() actor: AuthActor, @Query() q: ConversationListQuery): Promise<ConversationDto[]> {
    return this.conversations.list(actor, q.archived);
  }

  @Post()
  @ApiOperation({ summary: 'Start a new thread with the Butler' })
  @ApiCreatedResponse({ type: ConversationDoc })
  @ApiErrors(400)
  async create(@CurrentActor() actor: AuthActor, @Body() dto: CreateConversationDto): Promise<ConversationDto> {
    return toConversationDto(await this.conversations.create(actor, dto.title));
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "A thread's messages, newest first (keyset: before=<id>)" })
  @ApiErrors(404)
  messages(
    @CurrentActor() actor: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Query() q: KeysetQuery,
  ): Promise<Page<ChatMessageDto>> {
    return this.conversations.messages(actor, id, q);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, pin or archive a thread' })
  @ApiOkResponse({ type: ConversationDoc })
  @ApiErrors(400, 404)
  update(
    @CurrentActor() actor: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateConversationDto,
  ): Promise<ConversationDto> {
    return this.conversations.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a thread and its messages' })
  @ApiErrors(404)
  async remove(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.conversations.remove(actor, id);
  }
}
