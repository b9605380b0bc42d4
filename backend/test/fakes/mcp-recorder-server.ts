import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * A stdio MCP server built with the SDK, run by the bridge under test (node --import tsx). It records what
 * reached it, one JSON line each, in the file named by RECORD_FILE (an environment variable the admin sets):
 * every `notifications/cancelled` as it arrives, and the `slow` tool's start and abort with its request id.
 * `environment` answers with the environment it was started with, so a test can see what leaked into it.
 */
const record = (entry: Record<string, unknown>) =>
  appendFileSync(process.env.RECORD_FILE!, `${JSON.stringify({ ...entry, at: Date.now() })}\n`);

const server = new McpServer({ name: 'recorder', version: '1.0.0' });

server.registerTool(
  'environment',
  { description: 'The environment this server runs with', annotations: { readOnlyHint: true } },
  () => ({ content: [{ type: 'text', text: JSON.stringify(process.env) }] }),
);

server.registerTool(
  'slow',
  { description: 'Waits 30 s unless cancelled', annotations: { readOnlyHint: true } },
  async (extra) => {
    record({ event: 'started', requestId: extra.requestId });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        record({ event: 'aborted', requestId: extra.requestId, reason: String(extra.signal.reason) });
        resolve();
      });
    });
    return { content: [{ type: 'text', text: 'slow done' }] };
  },
);

async function main(): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // Seen on the wire, before the SDK's own handler aborts the request it names.
  const handle = transport.onmessage!;
  transport.onmessage = (message) => {
    if ('method' in message && message.method === 'notifications/cancelled')
      record({ event: 'cancelled', params: message.params });
    handle(message);
  };
}

void main();
