import type { SettingFieldDto, SettingKey, SettingsAuditDto, SettingsDto } from '@echocenter/contracts';

const base = (
  key: SettingKey,
  group: string,
  type: SettingFieldDto['type'],
  env: string,
  extra: Partial<SettingFieldDto>,
): SettingFieldDto => ({
  key,
  group,
  type,
  env,
  source: 'default',
  readOnly: false,
  default: null,
  description: `${key} (server text)`,
  updatedAt: null,
  updatedBy: null,
  ...extra,
});

/** The server's field list as of issue 9: the model endpoint from the environment, the rest defaults. */
export function settingsFields(): SettingFieldDto[] {
  return [
    base('butler.baseUrl', 'butler', 'url', 'BUTLER_BASE_URL', {
      value: 'http://127.0.0.1:4010/v1',
      source: 'env',
      readOnly: true,
    }),
    base('butler.model', 'butler', 'string', 'BUTLER_MODEL', { value: 'fake-butler', source: 'env', readOnly: true }),
    base('butler.apiKey', 'butler', 'secret', 'BUTLER_API_KEY', { set: false }),
    base('butler.compactionThreshold', 'butler', 'integer', 'BUTLER_COMPACTION_THRESHOLD', {
      value: 12000,
      default: 12000,
      min: 200,
      max: 10_000_000,
      unit: 'chars',
    }),
    base('butler.tools', 'butler', 'enum', 'BUTLER_TOOLS', {
      value: 'auto',
      default: 'auto',
      options: ['auto', 'on', 'off'],
    }),
    base('approvals.policy', 'approvals', 'enum', 'APPROVAL_POLICY', {
      value: 'default',
      default: 'default',
      options: ['default', 'always'],
    }),
    base('approvals.ttlMs', 'approvals', 'integer', 'APPROVAL_TTL', {
      value: 900000,
      default: 900000,
      min: 1000,
      max: 604800000,
      unit: 'ms',
    }),
    base('approvals.requesterMayApprove', 'approvals', 'boolean', 'APPROVAL_REQUESTER_MAY_APPROVE', {
      value: false,
      default: false,
    }),
    base('approvals.linksRequireLogin', 'approvals', 'boolean', 'APPROVAL_LINK_REQUIRES_LOGIN', {
      value: false,
      default: false,
    }),
    base('agentCommandTimeoutMs', 'commands', 'integer', 'AGENT_COMMAND_TIMEOUT_MS', {
      value: 30000,
      default: 30000,
      min: 100,
      max: 3600000,
      unit: 'ms',
    }),
    base('logs.retentionDays', 'logs', 'integer', 'LOG_RETENTION_DAYS', {
      value: 0,
      default: 0,
      min: 0,
      max: 36500,
      unit: 'days',
    }),
  ];
}

/** A settings view; `change` edits fields by key. */
export function settingsDto(
  change: Partial<Record<SettingKey, Partial<SettingFieldDto>>> = {},
  secretsWritable = true,
): SettingsDto {
  return {
    fields: settingsFields().map((f) => ({ ...f, ...(change[f.key] ?? {}) })),
    secretsWritable,
    links: { allowRules: '/api/approvals/rules', audit: '/api/settings/audit' },
  };
}

export function auditRow(overrides: Partial<SettingsAuditDto> = {}): SettingsAuditDto {
  return {
    id: 1,
    key: 'logs.retentionDays',
    oldValue: null,
    newValue: 30,
    action: 'set',
    secret: false,
    actorId: 1,
    actorName: 'alice',
    createdAt: '2026-01-01T10:00:00Z',
    ...overrides,
  };
}
