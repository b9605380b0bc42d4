import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import type { CreateLogRequest, LogDto, LogLevel, Page } from '@echocenter/contracts';
import { KeysetQuery } from '../../common/pagination';
import { LOCAL_ID_PATTERN } from '../../common/local-id';

export const LOG_LEVELS: LogLevel[] = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'];
/** The hard ceiling of a log's content on REST and sockets; the configured cap (LOG_MAX_CONTENT) is lower. */
export const LOG_CONTENT_CEILING = 1024 * 1024;

export class CreateLogDto implements CreateLogRequest {
  @ApiProperty({ enum: LOG_LEVELS })
  @IsIn(LOG_LEVELS, { message: `level must be one of ${LOG_LEVELS.join(', ')}` })
  level: LogLevel;

  /** The configured cap (LOG_MAX_CONTENT) is checked in the service; this is the hard ceiling. */
  @ApiProperty({ maxLength: 8192 })
  @IsString()
  @MinLength(1)
  @MaxLength(LOG_CONTENT_CEILING)
  content: string;

  @ApiPropertyOptional({
    maxLength: 64,
    description: 'Chosen by the reporter; a repeated one returns the stored log and stores nothing',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(LOCAL_ID_PATTERN, { message: 'localId must be printable ASCII without spaces' })
  localId?: string;
}

export class LogQueryDto extends KeysetQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  agentId?: number;

  @ApiPropertyOptional({ description: 'One level or several, comma-separated', example: 'WARNING,ERROR' })
  @IsOptional()
  @IsString()
  @Matches(/^(INFO|SUCCESS|WARNING|ERROR)(,(INFO|SUCCESS|WARNING|ERROR))*$/, {
    message: `level must be a comma-separated list of ${LOG_LEVELS.join(', ')}`,
  })
  level?: string;

  @ApiPropertyOptional({ description: 'Text the content contains' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  since?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  until?: string;
}

export class LogDtoDoc implements LogDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) agentId: number | null;
  @ApiProperty({ nullable: true, type: String }) agentName: string | null;
  @ApiProperty({ enum: LOG_LEVELS }) level: LogLevel;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class LogPageDoc implements Page<LogDto> {
  @ApiProperty({ type: [LogDtoDoc] }) items: LogDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}
