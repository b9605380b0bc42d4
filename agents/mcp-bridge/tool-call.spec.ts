import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { formatToolResult, MAX_RESULT_CHARS, ToolArguments } from './tool-call';

const writeFile: Tool = {
  name: 'write_file',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
    additionalProperties: false,
  },
};

describe('a command line as tool arguments', () => {
  const args = new ToolArguments(writeFile);

  it('takes one JSON object valid against the input schema', () => {
    expect(args.parse('{"path": "a.txt", "content": "hi"}')).toEqual({ path: 'a.txt', content: 'hi' });
  });

  it('names what is wrong: not JSON, not an object, or not what the schema asks', () => {
    expect(() => args.parse('a.txt hi')).toThrow(/one JSON object/);
    expect(() => args.parse('["a.txt"]')).toThrow(/one JSON object/);
    expect(() => args.parse('{"path": "a.txt"}')).toThrow(/invalid arguments for write_file: .*content/);
    expect(() => args.parse('{"path": 1, "content": "x"}')).toThrow(/args\/path must be string/);
    expect(() => args.parse('{"path": "a", "content": "x", "mode": "777"}')).toThrow(/additional properties/);
  });

  it('reads no arguments as {}', () => {
    const none = new ToolArguments({ name: 'ping', inputSchema: { type: 'object', properties: {} } });
    expect(none.parse('  ')).toEqual({});
  });
});

describe('a tool result as a command result', () => {
  it('joins text, shows structured content when there is no text, names other content, and caps the size', () => {
    expect(
      formatToolResult({
        content: [
          { type: 'text', text: 'one' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        ],
      }),
    ).toBe('one\n[image image/png]');
    expect(formatToolResult({ content: [], structuredContent: { files: 2 } })).toBe('{\n  "files": 2\n}');
    const long = formatToolResult({ content: [{ type: 'text', text: 'x'.repeat(MAX_RESULT_CHARS * 2) }] });
    expect(long.length).toBe(MAX_RESULT_CHARS);
    expect(long).toMatch(/truncated \d+ chars\]$/);
  });
});
