import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { McpServerDto } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { CreateMcpServerDto, McpServerDoc } from './dto/mcp-server.dto';
import { McpServersService } from './mcp-servers.service';

// Writes are @SessionOnly: a stdio server is a program the hub runs on its own host, so a leaked personal
// access token must never add, restart or remove one.
@ApiTags('mcp-servers')
@ApiBearerAuth('jwt')
@AdminOnly()
@ApiErrors(401, 403)
@Controller('mcp-servers')
export class McpServersController {
  constructor(private readonly servers: McpServersService) {}

  @Get()
  @ApiOperation({
    summary: 'MCP servers bridged as agents, with the state of their bridge on this node (secret values never shown)',
  })
  @ApiOkResponse({ type: [McpServerDoc] })
  list(): Promise<McpServerDto[]> {
    return this.servers.list();
  }

  @Post()
  @SessionOnly()
  @ApiOperation({
    summary:
      "Add an MCP server as an agent (stdio command line or Streamable HTTP URL); its tools become the agent's commands (audited)",
  })
  @ApiCreatedResponse({ type: McpServerDoc })
  @ApiErrors(400, 409)
  create(@CurrentActor() admin: AuthActor, @Body() dto: CreateMcpServerDto): Promise<McpServerDto> {
    return this.servers.create(admin, dto);
  }

  @Post(':id/restart')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart the bridge with a fresh agent token (after a failure or a rotation; audited)' })
  @ApiOkResponse({ type: McpServerDoc })
  @ApiErrors(404, 409)
  restart(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<McpServerDto> {
    return this.servers.restart(admin, id);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop the bridge and remove the agent (audited)' })
  @ApiErrors(404)
  async remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.servers.remove(admin, id);
  }
}
