import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AgentCommandCard } from '@echocenter/contracts';

// The hub keeps a card's args hint to 200 characters; the full schema travels as argsSchema.
const ARGS_HINT_CHARS = 200;
const DESCRIPTION_CHARS = 1000;
// The hub's command names: letters, digits, _ . : - (an MCP tool name outside that is skipped).
const COMMAND_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * What the hub must look at again when it changes: description, schema and annotations. Its hash ends the
 * args hint, so a changed tool changes its card's args and the hub's read-only confirmation lapses
 * (confirmations hold for the args they were made with).
 */
export function toolFingerprint(tool: Tool): string {
  const what = JSON.stringify({ d: tool.description ?? '', s: tool.inputSchema, a: tool.annotations ?? {} });
  return createHash('sha256').update(what).digest('hex').slice(0, 10);
}

/** `{path*: string, head: number}`: the argument names (required ones starred) and their types. */
function argsHint(tool: Tool): string {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = new Set(tool.inputSchema.required ?? []);
  const fields = Object.entries(props).map(
    ([name, p]) =>
      `${name}${required.has(name) ? '*' : ''}: ${Array.isArray(p?.type) ? p.type.join('|') : typeof p?.type === 'string' ? p.type : 'any'}`,
  );
  const tail = ` #${toolFingerprint(tool)}`;
  const body = fields.length ? `{${fields.join(', ')}}` : '{}';
  return (
    (body.length + tail.length > ARGS_HINT_CHARS ? `${body.slice(0, ARGS_HINT_CHARS - tail.length - 2)}…}` : body) +
    tail
  );
}

/**
 * An MCP tool as a command of the bridge's card. The MCP spec's defaults apply: a tool is read-only only
 * when it says `readOnlyHint: true`, and a tool that is not read-only is destructive unless it says
 * `destructiveHint: false`. Read-only stays a proposal (an admin confirms it); destructive is final.
 */
export function toolToCommand(tool: Tool): AgentCommandCard | null {
  if (!COMMAND_NAME.test(tool.name)) return null;
  const readOnly = tool.annotations?.readOnlyHint === true;
  const destructive = !readOnly && tool.annotations?.destructiveHint !== false;
  const description = (tool.description ?? tool.title ?? tool.annotations?.title ?? '').trim();
  return {
    name: tool.name,
    ...(description && {
      description:
        description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS - 1)}…` : description,
    }),
    args: argsHint(tool),
    readOnly,
    ...(destructive && { destructive: true }),
    argsSchema: tool.inputSchema as Record<string, unknown>,
  };
}
