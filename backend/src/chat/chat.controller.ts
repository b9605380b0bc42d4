import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChatMessageDto, Page } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AllowKinds, CurrentActor } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { ChatService } from './chat.service';
import { ChatHistoryQueryDto, ChatMessagePageDoc } from './dto/chat-history.dto';

@ApiTags('chat')
@ApiBearerAuth('jwt')
@ApiBearerAuth('agent-token')
@ApiErrors(401, 403)
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get(':peerId/messages')
  @AllowKinds('ADMIN', 'MEMBER', 'AGENT')
  @ApiOperation({
    summary: "The caller's messages with one peer",
    description: 'before=<id> (or neither) → newest first; after=<id> → oldest first, to catch up after a reconnect.',
  })
  @ApiOkResponse({ type: ChatMessagePageDoc })
  @ApiErrors(400)
  history(@CurrentActor() actor: AuthActor, @Param('peerId', ParseIntPipe) peerId: number, @Query() q: ChatHistoryQueryDto): Promise<Page<ChatMessageDto>> {
    return this.chat.history(actor, peerId, q);
  }
}
