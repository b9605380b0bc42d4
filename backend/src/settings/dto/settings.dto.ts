import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { KeysetQuery } from '../../common/pagination';
import type {
  Page,
  SettingFieldDto,
  SettingKey,
  SettingSource,
  SettingsAuditDto,
  SettingsDto,
  SettingType,
  SettingValue,
  TestModelRequest,
} from '@echocenter/contracts';

// Swagger documentation classes. PATCH validation is done from the settings table (settings-schema.ts),
// not with decorators, so the API, the console and the rules cannot drift apart.

// OpenAPI 3.0 ignores `nullable` beside a bare oneOf (it needs a `type`), so each branch admits null; anyOf, as null fits all three.
const VALUE = {
  anyOf: [
    { type: 'string', nullable: true },
    { type: 'number', nullable: true },
    { type: 'boolean', nullable: true },
  ],
};

export class SettingFieldDoc implements SettingFieldDto {
  @ApiProperty({ type: String, example: 'butler.model' }) key: SettingKey;
  @ApiProperty({ example: 'butler' }) group: string;
  @ApiProperty({ enum: ['url', 'string', 'secret', 'integer', 'boolean', 'enum'] }) type: SettingType;
  @ApiPropertyOptional({ ...VALUE, description: 'Effective value; absent for secrets' }) value?: SettingValue;
  @ApiPropertyOptional({ description: 'Secrets only: whether a value is in effect' }) set?: boolean;
  @ApiProperty({ enum: ['env', 'db', 'default'] }) source: SettingSource;
  @ApiProperty({ example: 'BUTLER_MODEL' }) env: string;
  @ApiProperty({ description: 'True when the environment controls the field' }) readOnly: boolean;
  @ApiProperty(VALUE) default: SettingValue;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional({ type: [String] }) options?: string[];
  @ApiPropertyOptional({ enum: ['ms', 'days', 'chars', 'tokens'] }) unit?: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) updatedBy: string | null;
  @ApiPropertyOptional({ example: 'stored with a different SETTINGS_KEY; set it again' }) problem?: string;
}

class SettingsLinksDoc {
  @ApiProperty({ example: '/api/approvals/rules' }) allowRules: string;
  @ApiProperty({ example: '/api/settings/audit' }) audit: string;
}

export class SettingsDoc implements SettingsDto {
  @ApiProperty({ type: [SettingFieldDoc] }) fields: SettingFieldDto[];
  @ApiProperty({ description: 'False in production without SETTINGS_KEY' }) secretsWritable: boolean;
  @ApiProperty({ type: SettingsLinksDoc }) links: { allowRules: string; audit: string };
}

export class SettingsPatchDoc {
  @ApiPropertyOptional({
    example: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.1', apiKey: 'sk-…', compactionThreshold: 12000 },
    description: 'null removes the stored value (back to the default; for apiKey: no key)',
  })
  butler?: object;
  @ApiPropertyOptional({ example: { policy: 'always', ttlMs: 900000, requesterMayApprove: false } }) approvals?: object;
  @ApiPropertyOptional({ example: 30000 }) agentCommandTimeoutMs?: number;
  @ApiPropertyOptional({ example: { retentionDays: 30 } }) logs?: object;
}

export class SettingsAuditDoc implements SettingsAuditDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, example: 'butler.apiKey' }) key: SettingKey;
  @ApiProperty({ ...VALUE, description: "null: no stored value; secrets: '••••'" }) oldValue: SettingValue;
  @ApiProperty(VALUE) newValue: SettingValue;
  @ApiProperty({ enum: ['set', 'changed', 'cleared'] }) action: 'set' | 'changed' | 'cleared';
  @ApiProperty() secret: boolean;
  @ApiProperty({ nullable: true, type: Number }) actorId: number | null;
  @ApiProperty() actorName: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SettingsAuditPageDoc implements Page<SettingsAuditDto> {
  @ApiProperty({ type: [SettingsAuditDoc] }) items: SettingsAuditDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `before` for the next (older) page' }) nextCursor:
    number | null;
}

/** The audit walks back from the newest entry: the keyset query's `before` and `limit`. */
export class SettingsAuditQuery extends PickType(KeysetQuery, ['before', 'limit'] as const) {}

export class TestModelDto implements TestModelRequest {
  @ApiPropertyOptional({ description: 'Default: the effective butler.baseUrl' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  baseUrl?: string;

  @ApiPropertyOptional({
    description:
      'Default: the stored or environment key (never returned), sent only when baseUrl is on the origin the key was saved for; another origin gets no key',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  apiKey?: string;

  @ApiPropertyOptional({ description: 'Reported as found or not in the list; default: the effective butler.model' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;
}

export class TestModelResponseDoc {
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ type: [String] }) models?: string[];
  @ApiPropertyOptional({ nullable: true, type: Boolean }) modelFound?: boolean | null;
  @ApiPropertyOptional({
    nullable: true,
    description:
      'What a listed model supports: {streaming: boolean, tools: "called" | "accepted" | "refused", streamUsage: boolean}; null when no model or not listed',
    example: { streaming: true, tools: 'called', streamUsage: true },
  })
  capabilities?: { streaming: boolean; tools: 'called' | 'accepted' | 'refused'; streamUsage: boolean } | null;
  @ApiPropertyOptional({ description: 'Why the capability probe failed (the listing worked)' })
  capabilitiesError?: string;
  @ApiPropertyOptional({ example: 'cannot connect (ECONNREFUSED)' }) error?: string;
}
