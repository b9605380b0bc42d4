import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { ThreadUsageDto, UsageReportDto, UsageReportRowDto, UsageTotalsDto } from '@echocenter/contracts';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class UsageQueryDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First UTC day (default: 29 days before `to`)' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-06', description: 'Last UTC day, included (default: today)' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day as YYYY-MM-DD' })
  to?: string;
}

class UsageTotalsDoc implements UsageTotalsDto {
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty({ description: 'Butler turns that called the model' }) turns: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'null when a model involved has no price (butler.pricesPer1k)',
  })
  cost: number | null;
}

class ModelUsageDoc extends UsageTotalsDoc {
  @ApiProperty() model: string;
}

export class ThreadUsageDoc extends UsageTotalsDoc implements ThreadUsageDto {
  @ApiProperty() conversationId: number;
  @ApiProperty({ type: [ModelUsageDoc] }) byModel: ModelUsageDoc[];
}

class UsageReportRowDoc extends UsageTotalsDoc implements UsageReportRowDto {
  @ApiProperty({ example: '2026-12-06' }) day: string;
  @ApiProperty() userId: number;
  @ApiProperty() username: string;
  @ApiProperty() model: string;
}

export class UsageReportDoc implements UsageReportDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [UsageReportRowDoc] }) rows: UsageReportRowDoc[];
  @ApiProperty({ type: UsageTotalsDoc }) totals: UsageTotalsDoc;
  @ApiProperty({ description: 'Tokens per user per UTC day; 0 = no budget' }) dailyTokenBudget: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { 'gpt-4o': 0.005 } })
  prices: Record<string, number>;
}
