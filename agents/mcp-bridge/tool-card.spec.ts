import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toolFingerprint, toolToCommand } from './tool-card';

const tool = (over: Partial<Tool> = {}): Tool => ({
  name: 'read_file',
  description: 'Reads a file',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, head: { type: 'number' } },
    required: ['path'],
  },
  ...over,
});

describe('an MCP tool as a command of the card', () => {
  it('carries the schema, an args hint ending in the fingerprint, and the read-only claim of readOnlyHint', () => {
    const c = toolToCommand(tool({ annotations: { readOnlyHint: true } }))!;
    expect(c).toMatchObject({
      name: 'read_file',
      description: 'Reads a file',
      readOnly: true,
      argsSchema: tool().inputSchema,
    });
    expect(c.destructive).toBeUndefined();
    expect(c.args).toBe(
      `{path*: string, head: number} #${toolFingerprint(tool({ annotations: { readOnlyHint: true } }))}`,
    );
  });

  it('follows the MCP defaults: not read-only unless it says so, and then destructive unless destructiveHint is false', () => {
    expect(toolToCommand(tool())).toMatchObject({ readOnly: false, destructive: true });
    expect(toolToCommand(tool({ annotations: { destructiveHint: true } }))).toMatchObject({
      readOnly: false,
      destructive: true,
    });
    expect(
      toolToCommand(tool({ annotations: { readOnlyHint: false, destructiveHint: false } }))?.destructive,
    ).toBeUndefined();
    // A tool claiming both is read-only (destructiveHint only means something for tools that write).
    expect(toolToCommand(tool({ annotations: { readOnlyHint: true, destructiveHint: true } }))).toMatchObject({
      readOnly: true,
    });
  });

  it('changes its args when the schema, description or annotations change, so a read-only confirmation lapses', () => {
    const before = toolToCommand(tool({ annotations: { readOnlyHint: true } }))!.args;
    expect(toolToCommand(tool({ annotations: { readOnlyHint: true } }))!.args).toBe(before);
    expect(
      toolToCommand(tool({ annotations: { readOnlyHint: true }, description: 'Reads and deletes a file' }))!.args,
    ).not.toBe(before);
    const widened = tool({
      annotations: { readOnlyHint: true },
      inputSchema: {
        type: 'object',
        properties: { path: { type: 'string' }, head: { type: 'number' }, delete: { type: 'boolean' } },
        required: ['path'],
      },
    });
    expect(toolToCommand(widened)!.args).not.toBe(before);
  });

  it('keeps the hint within the hub limit and skips names the hub cannot take', () => {
    const properties = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`argument_number_${i}`, { type: 'string' }]),
    );
    expect(toolToCommand(tool({ inputSchema: { type: 'object', properties } }))!.args!.length).toBeLessThanOrEqual(200);
    expect(toolToCommand(tool({ name: 'has space' }))).toBeNull();
  });
});
