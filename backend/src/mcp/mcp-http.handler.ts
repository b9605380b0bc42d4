import { Injectable, Logger } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { McpCaller } from './mcp-caller';
import { McpLimits } from './mcp-limits';
import { McpServerFactory } from './mcp-server.factory';

const rpcError = (res: Response, status: number, code: number, message: string) =>
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * `/mcp`: MCP Streamable HTTP, stateless (a fresh server and transport per POST, JSON responses). Nothing is
 * held between requests, so any node behind a balancer answers any request and a restart loses nothing.
 */
@Injectable()
export class McpHttpHandler {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly caller: McpCaller,
    private readonly servers: McpServerFactory,
    private readonly limits: McpLimits,
  ) {}

  readonly handle = async (req: Request, res: Response): Promise<void> => {
    try {
      const caller = await this.caller.resolve(req);
      if (!caller) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="EchoCenter MCP"');
        return void rpcError(
          res,
          401,
          -32001,
          'A personal access token (or console token) is required: Authorization: Bearer <token>',
        );
      }
      const retryAfter = this.limits.retryAfter(caller);
      if (retryAfter !== null) {
        res.setHeader('Retry-After', String(retryAfter));
        return void rpcError(res, 429, -32000, `Too many requests for this token; retry in ${retryAfter} s`);
      }
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return void rpcError(res, 405, -32000, 'Method not allowed: this server is stateless, POST only');
      }
      const server = this.servers.build(caller);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      this.logger.error(`request failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
    }
  };
}
