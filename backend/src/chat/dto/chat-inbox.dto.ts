import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ChatMessageDto, InboxPage } from '@echocenter/contracts';
import { ChatMessageDoc } from './chat-history.dto';

export class ChatInboxQueryDto {
  @ApiPropertyOptional({ description: 'The highest message id the caller has; omitted: only the `mark` to start from' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ChatInboxPageDoc implements InboxPage {
  @ApiProperty({ type: [ChatMessageDoc] }) items: ChatMessageDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as after for the next page; null: caught up' }) nextCursor: number | null;
  @ApiProperty({ description: 'The newest message id of the hub when read' }) mark: number;
}
