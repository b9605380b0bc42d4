import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { SshKeyDto } from '@echocenter/contracts';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import type { AuthActor } from '../auth/auth-actor';
import { ApiErrors } from '../common/swagger';
import { CreateSshKeyDto, SshKeyDoc } from './dto/ssh-key.dto';
import { SshKeysService } from './ssh-keys.service';

@ApiTags('ops')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@AdminOnly()
@Controller('ops/keys')
export class SshKeysController {
  constructor(private readonly keys: SshKeysService) {}

  @Get()
  @ApiOperation({
    summary: 'SSH keys in the vault: public key, fingerprint and the nodes using each (never the private key)',
  })
  @ApiOkResponse({ type: [SshKeyDoc] })
  list(): Promise<SshKeyDto[]> {
    return this.keys.list();
  }

  @Post()
  @SessionOnly()
  @ApiOperation({
    summary:
      'Add a private key (OpenSSH or PEM, optional passphrase) or generate an ed25519 pair; stored encrypted (audited)',
  })
  @ApiCreatedResponse({ type: SshKeyDoc })
  @ApiErrors(400, 409, 503)
  create(@CurrentActor() admin: AuthActor, @Body() dto: CreateSshKeyDto): Promise<SshKeyDto> {
    return this.keys.create(admin, dto);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a key no node uses (409 names the nodes that do; audited)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.keys.remove(admin, id);
  }
}
