import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { CreateSshKeyRequest, SshKeyDto } from '@echocenter/contracts';

export const OPS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_MESSAGE =
  'name may contain letters, digits, dots, dashes and underscores (and starts with a letter or digit)';

export class CreateSshKeyDto implements CreateSshKeyRequest {
  @ApiProperty({ example: 'deploy-2026', description: '1–64 characters: letters, digits, dot, dash, underscore' })
  @IsString()
  @Length(1, 64)
  @Matches(OPS_NAME, { message: NAME_MESSAGE })
  name: string;

  @ApiPropertyOptional({ description: 'true: the hub generates an ed25519 pair (privateKey must be absent)' })
  @IsOptional()
  @IsBoolean()
  generate?: boolean;

  @ApiPropertyOptional({
    description: 'OpenSSH or PEM private key; required unless generate. Stored encrypted, never returned',
  })
  @ValidateIf((o: CreateSshKeyDto) => !o.generate)
  @IsString({ message: 'privateKey is required unless generate is true' })
  @Length(32, 16384)
  privateKey?: string;

  @ApiPropertyOptional({ description: "The private key's passphrase, if it has one. Stored encrypted, never returned" })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  passphrase?: string;
}

export class SshKeyDoc implements SshKeyDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3Nza… deploy-2026', description: 'The authorized_keys line' })
  publicKey: string;
  @ApiProperty({ example: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' }) fingerprint: string;
  @ApiProperty({ example: 'ssh-ed25519' }) keyType: string;
  @ApiProperty({ type: [String], description: 'Nodes using the key' }) usedBy: string[];
  @ApiProperty() createdByName: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
