import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { RegisterAgentRequest, TestConnectionRequest } from '@echocenter/contracts';

export class RegisterAgentDto implements RegisterAgentRequest {
  @ApiProperty({
    example: 'Storage-Custodian',
    description: '2–64 characters: letters, digits, space, dot, dash, underscore',
  })
  @IsString()
  @Length(2, 64)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, {
    message: 'name may contain letters, digits, spaces, dots, dashes and underscores',
  })
  name: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class TestConnectionDto implements TestConnectionRequest {
  @ApiProperty({ description: 'An agent token to check' })
  @IsString()
  @MaxLength(200)
  token: string;
}
