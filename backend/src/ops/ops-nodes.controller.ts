import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { NodeTestResult, OpsNodeDto } from '@echocenter/contracts';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import type { AuthActor } from '../auth/auth-actor';
import { ApiErrors } from '../common/swagger';
import {
  ConfirmHostKeyDto,
  CreateOpsNodeDto,
  NodeTestResultDoc,
  OpsNodeDoc,
  UpdateOpsNodeDto,
} from './dto/ops-node.dto';
import { OpsNodesService } from './ops-nodes.service';

@ApiTags('ops')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@AdminOnly()
@Controller('ops/nodes')
export class OpsNodesController {
  constructor(private readonly nodes: OpsNodesService) {}

  @Get()
  @ApiOperation({ summary: 'The node inventory' })
  @ApiOkResponse({ type: [OpsNodeDoc] })
  list(): Promise<OpsNodeDto[]> {
    return this.nodes.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One node of the inventory (no secrets: the key is named by its id)' })
  @ApiOkResponse({ type: OpsNodeDoc })
  @ApiErrors(404)
  get(@Param('id', ParseIntPipe) id: number): Promise<OpsNodeDto> {
    return this.nodes.get(id);
  }

  @Post()
  @SessionOnly()
  @ApiOperation({ summary: 'Add a node (audited); its host key is pinned once an admin confirms it' })
  @ApiCreatedResponse({ type: OpsNodeDoc })
  @ApiErrors(400, 409)
  create(@CurrentActor() admin: AuthActor, @Body() dto: CreateOpsNodeDto): Promise<OpsNodeDto> {
    return this.nodes.create(admin, dto);
  }

  @Patch(':id')
  @SessionOnly()
  @ApiOperation({ summary: 'Change a node (audited); a new host or port unpins its host key' })
  @ApiOkResponse({ type: OpsNodeDoc })
  @ApiErrors(400, 404, 409)
  update(
    @CurrentActor() admin: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateOpsNodeDto,
  ): Promise<OpsNodeDto> {
    return this.nodes.update(admin, id, dto);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a node (audited)' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.nodes.remove(admin, id);
  }

  @Post(':id/test')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Test connection: a real SSH handshake; round-trip time and the host key seen (HOST_KEY_MISMATCH when it is not the pinned one)',
  })
  @ApiOkResponse({ type: NodeTestResultDoc })
  @ApiErrors(404, 503)
  test(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<NodeTestResult> {
    return this.nodes.test(admin, id);
  }

  @Post(':id/host-key')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Pin the host key fingerprint a test showed; the hub checks the server shows it now (409 HOST_KEY_MISMATCH otherwise; audited)',
  })
  @ApiOkResponse({ type: OpsNodeDoc })
  @ApiErrors(400, 404, 409)
  confirmHostKey(
    @CurrentActor() admin: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ConfirmHostKeyDto,
  ): Promise<OpsNodeDto> {
    return this.nodes.confirmHostKey(admin, id, dto.fingerprint);
  }
}
