import { ApiProperty } from '@nestjs/swagger';
import type {
  AgentCommandCard,
  AgentDto,
  AgentStatus,
  AgentWithTokenDto,
  CommandPolicy,
  TestConnectionResponse,
} from '@echocenter/contracts';

/** Swagger-only descriptions of the contract's agent shapes. */
export class AgentCommandDoc implements AgentCommandCard {
  @ApiProperty() name: string;
  @ApiProperty({ required: false }) description?: string;
  @ApiProperty({ required: false }) args?: string;
  @ApiProperty({
    required: false,
    description: "The agent's claim that it only reads; an admin confirms it (see policy)",
  })
  readOnly?: boolean;
  @ApiProperty({
    required: false,
    enum: ['READ_ONLY', 'NEEDS_APPROVAL', 'DESTRUCTIVE'],
    description: 'Effective policy, decided by the hub',
  })
  policy?: CommandPolicy;
  @ApiProperty({ required: false, description: "A card change undid an admin's read-only confirmation" })
  needsReview?: boolean;
}

export class AgentDtoDoc implements AgentDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) version: string | null;
  @ApiProperty({ type: [AgentCommandDoc] }) commands: AgentCommandCard[];
  @ApiProperty() online: boolean;
  @ApiProperty({ enum: ['ONLINE', 'OFFLINE', 'DISABLED'] }) status: AgentStatus;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSeenAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastReport: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastReportAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'ec_…x9Qa' }) tokenHint: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) tokenRotatedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AgentWithTokenDoc implements AgentWithTokenDto {
  @ApiProperty({ type: AgentDtoDoc }) agent: AgentDto;
  @ApiProperty({ description: 'Shown once; only its hash is stored' }) token: string;
}

export class TestConnectionDoc implements TestConnectionResponse {
  @ApiProperty() valid: boolean;
}
