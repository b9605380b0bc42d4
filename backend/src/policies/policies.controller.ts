import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { CommandPolicyDto } from '@echocenter/contracts';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import type { AuthActor } from '../auth/auth-actor';
import { ApiErrors } from '../common/swagger';
import { CommandPolicyDoc, UpdateCommandPolicyDto } from './dto/command-policy.dto';
import { PoliciesService } from './policies.service';

@ApiTags('agents')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403, 404)
@Controller('agents/:id/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @ApiOperation({ summary: "Each command of the agent's card: its claim and the effective policy the hub applies" })
  @ApiOkResponse({ type: [CommandPolicyDoc] })
  list(@Param('id', ParseIntPipe) id: number): Promise<CommandPolicyDto[]> {
    return this.policies.list(id);
  }

  @Put(':command')
  @SessionOnly()
  @AdminOnly()
  @ApiOperation({ summary: 'Confirm or revoke read-only, mark or unmark destructive (audited)' })
  @ApiParam({ name: 'command', description: "A command name from the agent's current card" })
  @ApiOkResponse({ type: CommandPolicyDoc })
  @ApiErrors(400)
  update(
    @CurrentActor() admin: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Param('command') command: string,
    @Body() dto: UpdateCommandPolicyDto,
  ): Promise<CommandPolicyDto> {
    return this.policies.update(admin, id, command, dto);
  }
}
