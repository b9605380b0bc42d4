import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ButlerModule } from '../butler/butler.module';
import { ChatModule } from '../chat/chat.module';
import { AskButlerService } from './ask-butler.service';
import { McpCaller } from './mcp-caller';
import { McpLimits } from './mcp-limits';
import { McpHttpHandler } from './mcp-http.handler';
import { McpServerFactory } from './mcp-server.factory';

/** EchoCenter as an MCP server at `/mcp` (mounted by app.factory, beside the `/api` prefix). */
@Module({
  imports: [AuthModule, ButlerModule, ChatModule],
  providers: [McpCaller, McpLimits, McpServerFactory, AskButlerService, McpHttpHandler],
  exports: [McpHttpHandler],
})
export class McpModule {}
