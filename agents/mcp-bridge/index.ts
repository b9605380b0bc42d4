export { createMcpBridge, type McpBridgeOptions } from './bridge';
export { parseServerConfig, type McpServerConfig } from './server-config';
export { toolToCommand, toolFingerprint } from './tool-card';
export { ToolArguments, callTool, formatToolResult, MAX_RESULT_CHARS } from './tool-call';
export { ProgressRouter } from './progress-router';

import type { ProgramConfig } from '../fleet/program-config';
import { UsageError, option } from '../fleet/program-config';
import { createMcpBridge } from './bridge';
import { parseServerConfig } from './server-config';

/** The CLI's factory: the server comes from MCP_SERVER (JSON, set by the hub's launcher) or --server. */
export function fromConfig(config: ProgramConfig) {
  try {
    return createMcpBridge(parseServerConfig(option(config, 'server', 'MCP_SERVER')), {
      description: option(config, 'description', 'MCP_DESCRIPTION'),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
