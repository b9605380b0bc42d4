import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import type { CommandContext } from '../sdk';
import { truncate } from '../sdk';
import type { ProgressRouter } from './progress-router';
import { ProgressThrottle } from './progress-throttle';

/** A result longer than this is cut (saying so): it lands in a thread and in the Butler's context. */
export const MAX_RESULT_CHARS = 16_000;

// Tools' schemas come from someone else's server: lenient about unknown keywords, strict about the data.
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** Checks a command's args (one JSON object, or nothing for `{}`) against a tool's input schema. */
export class ToolArguments {
  private readonly validate: ValidateFunction;

  constructor(readonly tool: Tool) {
    // `$schema` of an older draft would make Ajv refuse the schema; the keywords we need read the same.
    const { $schema: _ignored, ...schema } = tool.inputSchema as Record<string, unknown>;
    this.validate = ajv.compile(schema);
  }

  parse(text: string): Record<string, unknown> {
    let args: unknown;
    try {
      args = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new Error(
        `${this.tool.name} takes one JSON object as its arguments, e.g. ${this.tool.name} {"path": "notes.txt"}`,
      );
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      throw new Error(`${this.tool.name} takes one JSON object as its arguments`);
    if (!this.validate(args))
      throw new Error(
        `invalid arguments for ${this.tool.name}: ${ajv.errorsText(this.validate.errors, { dataVar: 'args' })}`,
      );
    return args as Record<string, unknown>;
  }
}

/** The tool's content as the command's result: text as is, structured content as JSON, other kinds named. */
export function formatToolResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map((c) => {
    switch (c.type) {
      case 'text':
        return c.text;
      case 'resource':
        return 'text' in c.resource ? String(c.resource.text) : `[resource ${c.resource.uri}]`;
      case 'resource_link':
        return `[resource ${c.uri}]`;
      default:
        return `[${c.type}${'mimeType' in c ? ` ${String(c.mimeType)}` : ''}]`;
    }
  });
  if (!parts.length && result.structuredContent) parts.push(JSON.stringify(result.structuredContent, null, 2));
  return truncate(parts.join('\n'), MAX_RESULT_CHARS);
}

/**
 * Runs one tool for a command: progress notifications become `command:progress` lines, the command's
 * abort (a cancel, its deadline, the agent closing) becomes MCP cancellation, an error result a failure.
 */
export async function callTool(
  client: Client,
  progress: ProgressRouter,
  args: ToolArguments,
  text: string,
  ctx: CommandContext,
  timeoutMs: number,
): Promise<string> {
  const parsed = args.parse(text);
  const lines = new ProgressThrottle((line) => ctx.stream(line));
  const { token, release } = progress.open((p) =>
    lines.push(
      `progress ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? ` ${p.message}` : ''}`,
    ),
  );
  try {
    const result = (await client.callTool(
      { name: args.tool.name, arguments: parsed, _meta: { progressToken: token } },
      undefined,
      { signal: ctx.signal, timeout: timeoutMs },
    )) as CallToolResult;
    const output = formatToolResult(result);
    if (result.isError) throw new Error(output || `${args.tool.name} failed`);
    return output;
  } finally {
    release();
    // The newest line still waiting leaves before the result.
    lines.flush();
  }
}
