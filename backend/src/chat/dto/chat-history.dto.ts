import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { ActorKind, ChatMessageDto, Page } from '@echocenter/contracts';
import { KeysetQuery } from '../../common/pagination';

export class ChatHistoryQueryDto extends KeysetQuery {
  @ApiPropertyOptional({ description: 'Only messages of this Butler conversation' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  conversationId?: number;
}

export class ChatMessageDoc implements ChatMessageDto {
  @ApiProperty({ description: 'Server id; the global order of messages' }) id: number;
  @ApiProperty({ nullable: true, type: String }) localId: string | null;
  @ApiProperty({ nullable: true, type: Number }) conversationId: number | null;
  @ApiProperty() senderId: number;
  @ApiProperty() senderName: string;
  @ApiProperty({ enum: ['ADMIN', 'MEMBER', 'AGENT', 'BUTLER'] }) senderKind: ActorKind;
  @ApiProperty() targetId: number;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String }) streamId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ChatMessagePageDoc implements Page<ChatMessageDto> {
  @ApiProperty({ type: [ChatMessageDoc] }) items: ChatMessageDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as before (or after) for the next page' })
  nextCursor: number | null;
}
