import type { MessageKey } from './messages.en';
import { ADMIN_ZH_CN } from './messages.admin';
import { AUDIT_ZH_CN } from './messages.audit';
import { BUTLER_ZH_CN } from './messages.butler';
import { CHANNELS_ZH_CN } from './messages.channels';
import { CONSOLE_ZH_CN } from './messages.console';
import { FLEET_ZH_CN } from './messages.fleet';
import { INBOX_ZH_CN } from './messages.inbox';
import { MCP_ZH_CN } from './messages.mcp';
import { OPS_ZH_CN } from './messages.ops';
import { SHELL_ZH_CN } from './messages.shell';
import { SYSTEM_ZH_CN } from './messages.system';
import { USAGE_ZH_CN } from './messages.usage';

/** 简体中文. Typed against the English keys, so a missing or stray key fails the build. */
export const ZH_CN: Record<MessageKey, string> = {
  ...INBOX_ZH_CN,
  ...CHANNELS_ZH_CN,
  ...MCP_ZH_CN,
  ...USAGE_ZH_CN,
  ...CONSOLE_ZH_CN,
  ...SHELL_ZH_CN,
  ...FLEET_ZH_CN,
  ...BUTLER_ZH_CN,
  ...ADMIN_ZH_CN,
  ...SYSTEM_ZH_CN,
  ...AUDIT_ZH_CN,
  ...OPS_ZH_CN,
};
