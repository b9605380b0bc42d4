import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import type { AuditEntryDto, Page } from '@echocenter/contracts';
import { PageLimitParam } from '../../common/pagination';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Entries with id < before, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
  @PageLimitParam(50) limit?: number;
  @ApiPropertyOptional({ example: 'user.updated' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like noun.verb' })
  action?: string;
  @ApiPropertyOptional({ example: 'user' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,24}$/, { message: 'targetType must be a lowercase word' })
  targetType?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) actorId?: number;
}

export class AuditEntryDoc implements AuditEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) actorId: number | null;
  @ApiProperty() actorName: string;
  @ApiProperty({ example: 'rule.created' }) action: string;
  @ApiProperty({ example: 'rule' }) targetType: string;
  @ApiProperty({ nullable: true, type: Number }) targetId: number | null;
  @ApiProperty({ nullable: true, type: String }) targetName: string | null;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuditPageDoc implements Page<AuditEntryDto> {
  @ApiProperty({ type: [AuditEntryDoc] }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}
