import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Min } from 'class-validator';
import type { NodeCredentialDto, NodeCredentialRequest, OpsTargetDto } from '@echocenter/contracts';

export class NodeCredentialRequestDto implements NodeCredentialRequest {
  @ApiProperty({ description: 'A RUNNING command of the calling agent' })
  @IsInt()
  @Min(1)
  commandId: number;

  @ApiProperty({ example: 'web-1', description: 'A node the command targets' })
  @IsString()
  @Length(1, 64)
  node: string;
}

export class NodeCredentialDoc implements NodeCredentialDto {
  @ApiProperty() node: string;
  @ApiProperty() host: string;
  @ApiProperty() port: number;
  @ApiProperty() username: string;
  @ApiProperty({ description: 'Released once per command and node' }) privateKey: string;
  @ApiProperty({ nullable: true, type: String }) passphrase: string | null;
  @ApiProperty({ description: 'Pinned; the agent refuses any other host key' }) hostKeyFingerprint: string;
}

export class OpsTargetDoc implements OpsTargetDto {
  @ApiProperty() name: string;
  @ApiProperty() host: string;
  @ApiProperty() port: number;
}
