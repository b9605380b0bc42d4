import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import type { CreateMcpServerRequest, McpServerDto, McpTransport } from '@echocenter/contracts';

const TRANSPORTS: McpTransport[] = ['stdio', 'http'];

export class CreateMcpServerDto implements CreateMcpServerRequest {
  @ApiProperty({
    example: 'Files',
    description: "The agent's name: 2–64 letters, digits, spaces, dots, dashes, underscores",
  })
  @IsString({ message: 'name must be text' })
  @Length(2, 64, { message: 'name must be 2 to 64 characters' })
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, {
    message: 'name may contain letters, digits, spaces, dots, dashes and underscores',
  })
  name: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'description must be text' })
  @MaxLength(1000, { message: 'description must be at most 1000 characters' })
  description?: string;

  @ApiProperty({
    enum: TRANSPORTS,
    description: '`stdio`: the hub runs `command` with `args`; `http`: Streamable HTTP at `url`',
  })
  @IsIn(TRANSPORTS, { message: 'transport must be stdio or http' })
  transport: McpTransport;

  @ApiPropertyOptional({ example: 'npx', description: 'stdio: the program (run without a shell)' })
  @IsOptional()
  @IsString({ message: 'command must be text' })
  @Length(1, 500, { message: 'command must be 1 to 500 characters' })
  command?: string;

  @ApiPropertyOptional({ type: [String], example: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/share'] })
  @IsOptional()
  @IsArray({ message: 'args must be a list of strings' })
  @ArrayMaxSize(50, { message: 'args may have at most 50 entries' })
  @IsString({ each: true, message: 'args must be a list of strings' })
  @MaxLength(1000, { each: true, message: 'each arg must be at most 1000 characters' })
  args?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'stdio: variables for the server (stored encrypted); nothing else of the hub is passed on',
  })
  @IsOptional()
  @IsObject({ message: 'env must map names to values' })
  env?: Record<string, string>;

  @ApiPropertyOptional({ description: 'stdio: the working folder' })
  @IsOptional()
  @IsString({ message: 'cwd must be a path' })
  @MaxLength(500, { message: 'cwd must be at most 500 characters' })
  cwd?: string;

  @ApiPropertyOptional({ example: 'https://tools.example.com/mcp', description: 'http: the Streamable HTTP endpoint' })
  @IsOptional()
  @IsString({ message: 'url must be text' })
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an http(s) URL' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'http: headers sent with every request, e.g. Authorization (stored encrypted, never shown again)',
  })
  @IsOptional()
  @IsObject({ message: 'headers must map names to values' })
  headers?: Record<string, string>;
}

export class McpServerDoc implements McpServerDto {
  @ApiProperty() id: number;
  @ApiProperty() agentId: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TRANSPORTS }) transport: McpTransport;
  @ApiProperty({ nullable: true, type: String }) command: string | null;
  @ApiProperty({ type: [String] }) args: string[];
  @ApiProperty({ type: [String], description: 'Names only; values are secret' }) envNames: string[];
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ type: [String], description: 'Names only; values are secret' }) headerNames: string[];
  @ApiProperty({ enum: ['running', 'restarting', 'failed', 'stopped'] }) bridge: McpServerDto['bridge'];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
