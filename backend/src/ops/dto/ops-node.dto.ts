import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { ConfirmHostKeyRequest, CreateOpsNodeRequest, NodeTestResult, OpsNodeDto } from '@echocenter/contracts';
import { OPS_NAME } from './ssh-key.dto';

// A host name or an IPv4/IPv6 literal: nothing a shell or ssh option parser could read as more.
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;
const USER = /^[a-z_][a-z0-9_.-]*\$?$/i;
export const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class CreateOpsNodeDto implements CreateOpsNodeRequest {
  @ApiProperty({
    example: 'web-1',
    description: 'Unique, stored in lower case; 1–64 letters, digits, dot, dash, underscore',
  })
  @IsString()
  @Length(1, 64)
  @Matches(OPS_NAME, {
    message: 'name may contain letters, digits, dots, dashes and underscores (and starts with a letter or digit)',
  })
  name: string;

  @ApiProperty({ example: '10.0.0.12', description: 'Host name or IP address' })
  @IsString()
  @Length(1, 255)
  @Matches(HOST, { message: 'host must be a host name or an IP address' })
  host: string;

  @ApiPropertyOptional({ default: 22 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ example: 'deploy' })
  @IsString()
  @Length(1, 64)
  @Matches(USER, { message: 'username must be a POSIX user name' })
  username: string;

  @ApiProperty({ description: 'An SSH key from the vault' })
  @IsInt()
  @Min(1)
  keyId: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['web', 'prod'],
    description: 'Lower-case words (a-z 0-9 _ -), at most 16; `run tag:web …` reaches every node with it',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @Matches(TAG, { each: true, message: 'each tag must be 1–32 lower-case letters, digits, dashes or underscores' })
  tags?: string[];

  @ApiPropertyOptional({ nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateOpsNodeDto extends PartialType(CreateOpsNodeDto) {}

export class ConfirmHostKeyDto implements ConfirmHostKeyRequest {
  @ApiProperty({
    example: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
    description: 'The fingerprint the test showed (what the admin checked)',
  })
  @IsString()
  @Matches(/^SHA256:[A-Za-z0-9+/]{43}$/, { message: 'fingerprint must look like SHA256:<43 base64 characters>' })
  fingerprint: string;
}

export class OpsNodeDoc implements OpsNodeDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() host: string;
  @ApiProperty() port: number;
  @ApiProperty() username: string;
  @ApiProperty() keyId: number;
  @ApiProperty() keyName: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The pinned host key; null until confirmed' })
  hostKeyFingerprint: string | null;
  @ApiProperty({ nullable: true, type: String }) hostKeyConfirmedByName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) hostKeyConfirmedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NodeTestResultDoc implements NodeTestResult {
  @ApiProperty() ok: boolean;
  @ApiProperty({ nullable: true, type: Number }) rttMs: number | null;
  @ApiProperty({ nullable: true, type: String }) hostKeyFingerprint: string | null;
  @ApiProperty({ description: 'The server showed the pinned key' }) hostKeyPinned: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'HOST_KEY_MISMATCH' }) errorCode: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}
