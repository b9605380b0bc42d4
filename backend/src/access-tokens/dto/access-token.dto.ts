import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type {
  AccessTokenDto,
  AccessTokenScope,
  CreateAccessTokenRequest,
  CreatedAccessTokenDto,
} from '@echocenter/contracts';

const SCOPES: AccessTokenScope[] = ['read', 'operate'];

export class CreateAccessTokenDto implements CreateAccessTokenRequest {
  @ApiProperty({ example: 'Claude Desktop', description: 'What the token is for (1–64 characters)' })
  // Trimmed before the length check: a name of spaces is no name (it would be stored as '').
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be text' })
  @Length(1, 64, { message: 'name must be 1 to 64 characters, not only spaces' })
  name: string;

  @ApiProperty({
    enum: SCOPES,
    description:
      '`read`: GET requests and read-only MCP tools; `operate`: what you may do, except deciding approvals and account or hub control (console session only)',
  })
  @IsIn(SCOPES, { message: 'scope must be read or operate' })
  scope: AccessTokenScope;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Days until it expires; omitted: never' })
  @IsOptional()
  @IsInt({ message: 'expiresInDays must be a whole number of days' })
  @Min(1, { message: 'expiresInDays must be at least 1' })
  @Max(3650, { message: 'expiresInDays must be at most 3650' })
  expiresInDays?: number;
}

export class AccessTokenDoc implements AccessTokenDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SCOPES }) scope: AccessTokenScope;
  @ApiProperty({ example: 'ecp_…x9Qa' }) hint: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Updated at most once a minute' })
  lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
}

export class CreatedAccessTokenDoc extends AccessTokenDoc implements CreatedAccessTokenDto {
  @ApiProperty({ description: 'The token itself: shown in this response only, store it now' }) token: string;
}
