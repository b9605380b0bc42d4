import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, SettingsAuditDto, SettingsDto, TestModelResponse } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import {
  SettingsAuditPageDoc,
  SettingsAuditQuery,
  SettingsDoc,
  SettingsPatchDoc,
  TestModelDto,
  TestModelResponseDoc,
} from './dto/settings.dto';
import { testModelConnection } from './model-test';
import { SettingsAdminService } from './settings-admin.service';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@AdminOnly()
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly admin: SettingsAdminService,
    private readonly settings: SettingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Runtime settings: effective value and source (env, db, default) of each field; secrets only say whether they are set',
  })
  @ApiOkResponse({ type: SettingsDoc })
  get(): SettingsDto {
    return this.admin.view();
  }

  @Patch()
  @SessionOnly()
  @ApiOperation({ summary: 'Change runtime settings (applied on every node without a restart); null resets a field' })
  @ApiBody({ type: SettingsPatchDoc })
  @ApiOkResponse({ type: SettingsDoc })
  @ApiErrors(400, 409)
  // A plain object on purpose: the global ValidationPipe skips it and the settings table validates it.
  patch(@CurrentActor() actor: AuthActor, @Body() body: Record<string, unknown>): Promise<SettingsDto> {
    return this.admin.patch(actor, body);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Who changed which setting when, newest first (secrets masked)' })
  @ApiOkResponse({ type: SettingsAuditPageDoc })
  @ApiErrors(400)
  audit(@Query() q: SettingsAuditQuery): Promise<Page<SettingsAuditDto>> {
    return this.admin.audit(q.before, q.limit ?? 50);
  }

  @Post('test-model')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: "List the models of an OpenAI-compatible endpoint (given, or the Butler's) to test the connection",
  })
  @ApiOkResponse({ type: TestModelResponseDoc })
  @ApiErrors(400)
  testModel(@Body() dto: TestModelDto): Promise<TestModelResponse> {
    return testModelConnection(this.settings.current().butler, dto);
  }
}
