import { ADMIN_EN } from './messages.admin';
import { AUDIT_EN } from './messages.audit';
import { BUTLER_EN } from './messages.butler';
import { CHANNELS_EN } from './messages.channels';
import { CONSOLE_EN } from './messages.console';
import { FLEET_EN } from './messages.fleet';
import { INBOX_EN } from './messages.inbox';
import { MCP_EN } from './messages.mcp';
import { OPS_EN } from './messages.ops';
import { SHELL_EN } from './messages.shell';
import { SYSTEM_EN } from './messages.system';
import { USAGE_EN } from './messages.usage';

/** English is the source language: its keys are the message keys the whole app may use. */
export const EN = {
  ...INBOX_EN,
  ...CHANNELS_EN,
  ...MCP_EN,
  ...USAGE_EN,
  ...CONSOLE_EN,
  ...SHELL_EN,
  ...FLEET_EN,
  ...BUTLER_EN,
  ...ADMIN_EN,
  ...SYSTEM_EN,
  ...AUDIT_EN,
  ...OPS_EN,
};

export type MessageKey = keyof typeof EN;
