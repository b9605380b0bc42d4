import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChatMessageDto, InboxPage, Page } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AllowKinds, CurrentActor } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { ChatInbox } from './chat-inbox';
import { ChatService } from './chat.service';
import { ChatInboxPageDoc, ChatInboxQueryDto } from './dto/chat-inbox.dto';
import { ChatHistoryQueryDto, ChatMessagePageDoc } from './dto/chat-history.dto';

@ApiTags('chat')
@ApiBearerAuth('jwt')
@ApiBearerAuth('agent-token')
@ApiErrors(401, 403)
@Controller('chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly inbox: ChatInbox,
  ) {}

  @Get('inbox')
  @AllowKinds('ADMIN', 'MEMBER', 'AGENT')
  @ApiOperation({
    summary: 'Messages addressed to the caller above a cursor (catching up)',
    description:
      'after=<the highest id the caller has> → oldest first, from every sender; page on with after=nextCursor until it is null. ' +
      'Without after: no items, only `mark` (the newest id), where a new receiver starts. Clients call it on sync:hint and after a reconnect.',
  })
  @ApiOkResponse({ type: ChatInboxPageDoc })
  @ApiErrors(400)
  inboxPage(@CurrentActor() actor: AuthActor, @Query() q: ChatInboxQueryDto): Promise<InboxPage> {
    return this.inbox.read(actor, q.after, q.limit);
  }

  @Get(':peerId/messages')
  @AllowKinds('ADMIN', 'MEMBER', 'AGENT')
  @ApiOperation({
    summary: "The caller's messages with one peer",
    description: 'before=<id> (or neither) → newest first; after=<id> → oldest first, to catch up after a reconnect.',
  })
  @ApiOkResponse({ type: ChatMessagePageDoc })
  @ApiErrors(400)
  history(
    @CurrentActor() actor: AuthActor,
    @Param('peerId', ParseIntPipe) peerId: number,
    @Query() q: ChatHistoryQueryDto,
  ): Promise<Page<ChatMessageDto>> {
    return this.chat.history(actor, peerId, q);
  }
}
