import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type {
  ChannelKind,
  ChannelRecipient,
  NotificationAttemptDto,
  NotificationChannelDto,
  NotificationChannelRequest,
  NotificationChannelSaved,
  NotificationDto,
  NotificationEvent,
  NotificationStatus,
  Page,
  SmtpSettings,
} from '@echocenter/contracts';
import { PageLimitParam } from '../../common/pagination';

export const CHANNEL_KINDS: ChannelKind[] = ['WEBHOOK', 'SLACK', 'FEISHU', 'EMAIL'];
export const NOTIFICATION_EVENTS: NotificationEvent[] = [
  'approval.requested',
  'approval.expiring',
  'approval.decided',
  'command.failed',
];
export const NOTIFICATION_STATUSES: NotificationStatus[] = ['PENDING', 'SENDING', 'SENT', 'DEAD'];

export class ChannelRecipientDto implements ChannelRecipient {
  @ApiProperty({ description: 'An admin user id' }) @IsInt() @Min(1) actorId: number;

  @ApiPropertyOptional({ description: 'EMAIL channels: where this admin receives mail' })
  @IsOptional()
  @IsEmail({}, { message: 'address must be an e-mail address' })
  @MaxLength(254)
  address?: string;
}

export class SmtpSettingsDto implements SmtpSettings {
  @ApiProperty({ example: 'smtp.example.com' }) @IsString() @MinLength(1) @MaxLength(253) host: string;
  @ApiProperty({ example: 587 }) @IsInt() @Min(1) @Max(65535) port: number;
  @ApiProperty({
    description: 'TLS from the first byte (port 465); otherwise STARTTLS, required unless allowPlaintext',
  })
  @IsBoolean()
  secure: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'SMTP login; its password is the channel secret' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  username: string | null;
  @ApiProperty({ example: 'EchoCenter <echo@example.com>' }) @IsString() @MinLength(3) @MaxLength(254) from: string;
  @ApiPropertyOptional({
    default: false,
    description: 'Send in plain text when the server offers no STARTTLS (a local relay only)',
  })
  @IsOptional()
  @IsBoolean()
  allowPlaintext?: boolean;
}

export class NotificationChannelRequestDto implements NotificationChannelRequest {
  @ApiProperty({ maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) name: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` })
  kind: ChannelKind;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'WEBHOOK, SLACK, FEISHU: the URL messages are POSTed to (http or https)',
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL' },
  )
  @MaxLength(2048)
  url?: string | null;

  @ApiPropertyOptional({ type: SmtpSettingsDto, nullable: true, description: 'EMAIL channels' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SmtpSettingsDto)
  smtp?: SmtpSettingsDto | null;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTIFICATION_EVENTS, { each: true, message: `each event must be one of ${NOTIFICATION_EVENTS.join(', ')}` })
  events: NotificationEvent[];

  @ApiPropertyOptional({
    type: [ChannelRecipientDto],
    nullable: true,
    description: 'Null or absent: every admin (not for EMAIL, which needs addresses)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChannelRecipientDto)
  recipients?: ChannelRecipientDto[] | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'FEISHU bot secret or SMTP password (stored encrypted, never returned). Absent on update: keep; null: clear',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  secret?: string | null;

  @ApiPropertyOptional({ description: 'WEBHOOK: generate a new signing secret (returned once)' })
  @IsOptional()
  @IsBoolean()
  rotateSecret?: boolean;

  @ApiPropertyOptional({
    description:
      "Links also ask for the admin's console password. Absent on create: on for WEBHOOK, SLACK and FEISHU, off for EMAIL; absent on update: keep",
  })
  @IsOptional()
  @IsBoolean()
  linksRequireSignIn?: boolean;
}

export class AttemptQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
  @PageLimitParam(50) limit?: number;
}

export class NotificationQueryDto extends AttemptQueryDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES, { message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: NotificationStatus;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) channelId?: number;
}

export class NotificationChannelDoc implements NotificationChannelDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind: ChannelKind;
  @ApiProperty() enabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'SLACK and FEISHU URLs carry a token: shown with the path masked',
  })
  url: string | null;
  @ApiProperty({ nullable: true, type: SmtpSettingsDto }) smtp: SmtpSettings | null;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events: NotificationEvent[];
  @ApiProperty({ nullable: true, type: [ChannelRecipientDto] }) recipients: ChannelRecipient[] | null;
  @ApiProperty() hasSecret: boolean;
  @ApiProperty({ description: "Links also ask for the admin's console password" }) linksRequireSignIn: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class NotificationChannelSavedDoc implements NotificationChannelSaved {
  @ApiProperty({ type: NotificationChannelDoc }) channel: NotificationChannelDto;
  @ApiPropertyOptional({ description: 'WEBHOOK signing secret, only when generated: shown this once' }) secret?: string;
}

export class NotificationDoc implements NotificationDto {
  @ApiProperty() id: number;
  @ApiProperty() channelId: number;
  @ApiProperty({ enum: [...NOTIFICATION_EVENTS, 'test'] }) event: NotificationEvent | 'test';
  @ApiProperty({ nullable: true, type: Number }) approvalId: number | null;
  @ApiProperty({ nullable: true, type: String }) recipient: string | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
}

export class NotificationPageDoc implements Page<NotificationDto> {
  @ApiProperty({ type: [NotificationDoc] }) items: NotificationDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}

export class NotificationAttemptDoc implements NotificationAttemptDto {
  @ApiProperty() id: number;
  @ApiProperty() notificationId: number;
  @ApiProperty() channelId: number;
  @ApiProperty({ enum: [...NOTIFICATION_EVENTS, 'test'] }) event: NotificationEvent | 'test';
  @ApiProperty() attempt: number;
  @ApiProperty() ok: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status or SMTP reply code' }) statusCode:
    number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NotificationAttemptPageDoc implements Page<NotificationAttemptDto> {
  @ApiProperty({ type: [NotificationAttemptDoc] }) items: NotificationAttemptDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}
