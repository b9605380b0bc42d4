import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NodeCredentialDto, OpsTargetDto } from '@echocenter/contracts';
import { AllowKinds, CurrentActor } from '../auth/auth.decorators';
import type { AuthActor } from '../auth/auth-actor';
import { ApiErrors } from '../common/swagger';
import { NodeCredentialDoc, NodeCredentialRequestDto, OpsTargetDoc } from './dto/node-credential.dto';
import { KeyReleaseService, OPS_INSTANCE_HEADER } from './key-release.service';

/**
 * The Ops-Runner's side (agent token): the nodes of its running command, and each node's key once. Both
 * answer only the agent process that claimed the command (its instance id in X-Agent-Instance).
 */
@ApiTags('ops')
@ApiBearerAuth('agent-token')
@ApiHeader({
  name: OPS_INSTANCE_HEADER,
  required: true,
  description: 'The instance id the agent process claimed the command with (command:claim)',
})
@ApiErrors(401, 403, 404, 409)
@AllowKinds('AGENT')
@Controller('ops/agent')
export class OpsAgentController {
  constructor(private readonly releases: KeyReleaseService) {}

  @Get('commands/:id/targets')
  @ApiOperation({ summary: 'The nodes a RUNNING ops command of the calling agent targets (no keys)' })
  @ApiOkResponse({ type: [OpsTargetDoc] })
  targets(
    @CurrentActor() agent: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Headers(OPS_INSTANCE_HEADER) instance: string | undefined,
  ): Promise<OpsTargetDto[]> {
    return this.releases.targets(agent, id, instance);
  }

  @Post('credentials')
  @HttpCode(200)
  @ApiOperation({
    summary: "A node's credential for a RUNNING command of the calling agent that targets it; released once, audited",
  })
  @ApiOkResponse({ type: NodeCredentialDoc })
  credential(
    @CurrentActor() agent: AuthActor,
    @Body() dto: NodeCredentialRequestDto,
    @Headers(OPS_INSTANCE_HEADER) instance: string | undefined,
  ): Promise<NodeCredentialDto> {
    return this.releases.release(agent, dto.commandId, dto.node, instance);
  }
}
