import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { CommandPolicy, CommandPolicyDto, UpdateCommandPolicyRequest } from '@echocenter/contracts';

export class UpdateCommandPolicyDto implements UpdateCommandPolicyRequest {
  @ApiPropertyOptional({
    description:
      "true confirms the card's read-only claim for its current args (and unmarks destructive); false revokes it",
  })
  @IsOptional()
  @IsBoolean()
  readOnly?: boolean;

  @ApiPropertyOptional({
    description:
      'true marks the command destructive (and revokes read-only): every run asks a human, allow-rules never cover it',
  })
  @IsOptional()
  @IsBoolean()
  destructive?: boolean;
}

export class CommandPolicyDoc implements CommandPolicyDto {
  @ApiProperty() agentId: number;
  @ApiProperty({ example: 'get_status' }) command: string;
  @ApiProperty({ nullable: true, type: String, description: "From the agent's current card" }) args: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: "The card's claim (a proposal only)" }) claimsReadOnly: boolean;
  @ApiProperty({ description: 'An admin confirmed the claim for the args it was made with' })
  readOnlyConfirmed: boolean;
  @ApiProperty() destructive: boolean;
  @ApiProperty({ enum: ['READ_ONLY', 'NEEDS_APPROVAL', 'DESTRUCTIVE'], description: 'The effective policy' })
  policy: CommandPolicy;
  @ApiProperty({ description: 'A card change undid a confirmation' }) needsReview: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'no longer claims read-only' }) reviewReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: "An admin's name, or `system` for the demo fleet" })
  decidedByName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt: string | null;
}
