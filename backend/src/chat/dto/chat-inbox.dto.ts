import { ApiProperty } from '@nestjs/swagger';
import type { ChatMessageDto, InboxPage } from '@echocenter/contracts';
import { CursorParam, PageLimitParam } from '../../common/pagination';
import { ChatMessageDoc } from './chat-history.dto';

export class ChatInboxQueryDto {
  @CursorParam(0, 'The highest message id the caller has; omitted: only the `mark` to start from') after?: number;
  @PageLimitParam(100) limit?: number;
}

export class ChatInboxPageDoc implements InboxPage {
  @ApiProperty({ type: [ChatMessageDoc] }) items: ChatMessageDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as after for the next page; null: caught up' })
  nextCursor: number | null;
  @ApiProperty({ description: 'The newest message id of the hub when read' }) mark: number;
}
