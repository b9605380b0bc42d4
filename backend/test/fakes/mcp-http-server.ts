import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * A remote MCP server for the bridge's HTTP transport: the SDK's own Server and Streamable HTTP transport
 * (sessions, so it can announce tool list changes), behind a required bearer header, on a free loopback port.
 * Its tools answer with their name and arguments; `setTools` changes the list and tells connected clients.
 */
export async function startMcpHttpServer(bearer: string, initial: Tool[]) {
  let tools = initial;
  const sessions = new Map<string, { server: Server; transport: StreamableHTTPServerTransport }>();
  const seenAuth: string[] = [];

  const newSession = () => {
    const server = new Server(
      { name: 'remote-test-server', version: '2.0.0' },
      { capabilities: { tools: { listChanged: true } } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, (req) => ({
      content: [{ type: 'text', text: `${req.params.name} ${JSON.stringify(req.params.arguments ?? {})}` }],
    }));
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
    });
    return { server, transport };
  };

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  };

  const http: HttpServer = createServer((req, res) => {
    void (async () => {
      seenAuth.push(String(req.headers.authorization ?? ''));
      if (req.headers.authorization !== `Bearer ${bearer}`) return void res.writeHead(401).end();
      const id = req.headers['mcp-session-id'];
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      let session = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!session) {
        if (id) return void res.writeHead(404).end();
        session = newSession();
        await session.server.connect(session.transport);
      }
      await session.transport.handleRequest(req, res, body);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;

  return {
    url,
    seenAuth,
    async setTools(next: Tool[]): Promise<void> {
      tools = next;
      await Promise.all([...sessions.values()].map((s) => s.server.sendToolListChanged().catch(() => undefined)));
    },
    async close(): Promise<void> {
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
