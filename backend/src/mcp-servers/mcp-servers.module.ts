import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { McpBridgeLauncher } from './mcp-bridge-launcher';
import { McpServer } from './mcp-server.entity';
import { McpServersController } from './mcp-servers.controller';
import { McpServersService } from './mcp-servers.service';

/** MCP servers as agents of the fleet (GET/POST/DELETE /api/mcp-servers); their bridges run here. */
@Module({
  imports: [TypeOrmModule.forFeature([McpServer]), AgentsModule],
  controllers: [McpServersController],
  providers: [McpServersService, McpBridgeLauncher],
  exports: [McpServersService, McpBridgeLauncher],
})
export class McpServersModule {}
