import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { ConversationDto, CreateConversationRequest, UpdateConversationRequest } from '@echocenter/contracts';
import { iso } from '../../common/dates';
import type { Conversation } from './conversation.entity';

export function toConversationDto(c: Conversation): ConversationDto {
  return {
    id: c.id,
    ownerId: c.ownerId,
    title: c.title,
    pinned: c.pinned,
    archived: c.archived,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    lastMessageAt: iso(c.lastMessageAt),
  };
}

export class CreateConversationDto implements CreateConversationRequest {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) title?: string;
}

export class UpdateConversationDto implements UpdateConversationRequest {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() pinned?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() archived?: boolean;
}

export class ConversationDoc implements ConversationDto {
  @ApiProperty() id: number;
  @ApiProperty() ownerId: number;
  @ApiProperty() title: string;
  @ApiProperty() pinned: boolean;
  @ApiProperty() archived: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastMessageAt: string | null;
}
