import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NodeCredentialDto, OpsTargetDto } from '@echocenter/contracts';
import { AllowKinds, CurrentActor } from '../auth/auth.decorators';
import type { AuthActor } from '../auth/auth-actor';
import { ApiErrors } from '../common/swagger';
import { NodeCredentialDoc, NodeCredentialRequestDto, OpsTargetDoc } from './dto/node-credential.dto';
import { KeyReleaseService } from './key-release.service';

/** The Ops-Runner's side (agent token): the nodes of its running command, and each node's key once. */
@ApiTags('ops')
@ApiBearerAuth('agent-token')
@ApiErrors(401, 403, 404, 409)
@AllowKinds('AGENT')
@Controller('ops/agent')
export class OpsAgentController {
  constructor(private readonly releases: KeyReleaseService) {}

  @Get('commands/:id/targets')
  @ApiOperation({ summary: 'The nodes a RUNNING ops command of the calling agent targets (no keys)' })
  @ApiOkResponse({ type: [OpsTargetDoc] })
  targets(@CurrentActor() agent: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<OpsTargetDto[]> {
    return this.releases.targets(agent, id);
  }

  @Post('credentials')
  @HttpCode(200)
  @ApiOperation({
    summary: "A node's credential for a RUNNING command of the calling agent that targets it; released once, audited",
  })
  @ApiOkResponse({ type: NodeCredentialDoc })
  credential(@CurrentActor() agent: AuthActor, @Body() dto: NodeCredentialRequestDto): Promise<NodeCredentialDto> {
    return this.releases.release(agent, dto.commandId, dto.node);
  }
}
