import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AgentDto, AgentWithTokenDto, TestConnectionResponse } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { AgentsService } from './agents.service';
import { RegisterAgentDto, TestConnectionDto } from './dto/register-agent.dto';
import { AgentDtoDoc, AgentWithTokenDoc, TestConnectionDoc } from './dto/agent.doc';

@ApiTags('agents')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ApiOperation({ summary: 'All agents with presence (never a token or hash)' })
  @ApiOkResponse({ type: [AgentDtoDoc] })
  list(): Promise<AgentDto[]> {
    return this.agents.list();
  }

  @Post()
  @SessionOnly()
  @AdminOnly()
  @ApiOperation({ summary: 'Register an agent; its token is returned once, here' })
  @ApiCreatedResponse({ type: AgentWithTokenDoc })
  @ApiErrors(400, 409)
  register(@CurrentActor() admin: AuthActor, @Body() dto: RegisterAgentDto): Promise<AgentWithTokenDto> {
    return this.agents.register(dto.name, dto.description, admin);
  }

  @Post('test-connection')
  @SessionOnly()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether a token is valid, without saying whose it is' })
  @ApiOkResponse({ type: TestConnectionDoc })
  @ApiErrors(400)
  async testConnection(@Body() dto: TestConnectionDto): Promise<TestConnectionResponse> {
    return { valid: (await this.agents.verifyToken(dto.token)) !== null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent with presence and its command card' })
  @ApiOkResponse({ type: AgentDtoDoc })
  @ApiErrors(404)
  get(@Param('id', ParseIntPipe) id: number): Promise<AgentDto> {
    return this.agents.get(id);
  }

  @Post(':id/token')
  @SessionOnly()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the token: the old one stops working at once' })
  @ApiOkResponse({ type: AgentWithTokenDoc })
  @ApiErrors(404)
  rotate(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<AgentWithTokenDto> {
    return this.agents.rotate(id, admin);
  }

  @Delete(':id')
  @SessionOnly()
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an agent; its token stops working and its socket closes (audited)' })
  @ApiErrors(404)
  async remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.agents.remove(id, admin);
  }
}
