import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AccessTokenDto, CreatedAccessTokenDto } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { AccessTokensService } from './access-tokens.service';
import { AccessTokenDoc, CreateAccessTokenDto, CreatedAccessTokenDoc } from './dto/access-token.dto';

@ApiTags('access-tokens')
@ApiBearerAuth('jwt')
@ApiErrors(401)
@Controller('access-tokens')
export class AccessTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @Get()
  @ApiOperation({ summary: "The caller's personal access tokens that still work or may (never the secrets)" })
  @ApiOkResponse({ type: [AccessTokenDoc] })
  list(@CurrentActor() actor: AuthActor): Promise<AccessTokenDto[]> {
    return this.tokens.list(actor);
  }

  @Post()
  @SessionOnly()
  @ApiOperation({
    summary: 'Create a personal access token (console session only); the response is the only time the token is shown',
  })
  @ApiCreatedResponse({ type: CreatedAccessTokenDoc })
  @ApiErrors(400, 403)
  create(@CurrentActor() actor: AuthActor, @Body() dto: CreateAccessTokenDto): Promise<CreatedAccessTokenDto> {
    return this.tokens.create(actor, dto);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your tokens: it stops working at once (console session only)' })
  @ApiNoContentResponse()
  @ApiErrors(403, 404)
  async revoke(@CurrentActor() actor: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.tokens.revoke(actor, id);
  }
}
