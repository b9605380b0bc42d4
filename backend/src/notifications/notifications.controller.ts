import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  NotificationAttemptDto,
  NotificationChannelDto,
  NotificationChannelSaved,
  NotificationDto,
  Page,
} from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import {
  AttemptQueryDto,
  NotificationAttemptPageDoc,
  NotificationChannelDoc,
  NotificationChannelRequestDto,
  NotificationChannelSavedDoc,
  NotificationDoc,
  NotificationPageDoc,
  NotificationQueryDto,
} from './dto/channel.dto';
import { NotificationChannels } from './notification-channels.service';

@ApiTags('notifications')
@ApiBearerAuth('jwt')
@ApiErrors(401, 403)
@AdminOnly()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly channels: NotificationChannels) {}

  @Get('channels')
  @ApiOperation({ summary: 'Notification channels (webhook, Slack, Feishu, e-mail); secrets are never returned' })
  @ApiOkResponse({ type: [NotificationChannelDoc] })
  list(): Promise<NotificationChannelDto[]> {
    return this.channels.list();
  }

  @Post('channels')
  @SessionOnly()
  @ApiOperation({ summary: 'Add a channel (audited); a WEBHOOK gets a signing secret, returned this once' })
  @ApiCreatedResponse({ type: NotificationChannelSavedDoc })
  @ApiErrors(400)
  create(
    @CurrentActor() admin: AuthActor,
    @Body() body: NotificationChannelRequestDto,
  ): Promise<NotificationChannelSaved> {
    return this.channels.create(admin, body);
  }

  @Put('channels/:id')
  @SessionOnly()
  @ApiOperation({
    summary: 'Change a channel (audited); secret absent keeps it, rotateSecret makes a new WEBHOOK secret',
  })
  @ApiOkResponse({ type: NotificationChannelSavedDoc })
  @ApiErrors(400, 404)
  update(
    @CurrentActor() admin: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: NotificationChannelRequestDto,
  ): Promise<NotificationChannelSaved> {
    return this.channels.update(admin, id, body);
  }

  @Delete('channels/:id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a channel and what it still owes (audited); its delivery log stays' })
  @ApiErrors(404)
  async remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.channels.remove(admin, id);
  }

  @Post('channels/:id/test')
  @SessionOnly()
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a test message (queued; see the delivery log)' })
  @ApiOkResponse({ type: [NotificationDoc] })
  @ApiErrors(404)
  test(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<NotificationDto[]> {
    return this.channels.test(admin, id);
  }

  @Get('channels/:id/deliveries')
  @ApiOperation({ summary: "A channel's delivery log, newest first: one row per attempt with the status code" })
  @ApiOkResponse({ type: NotificationAttemptPageDoc })
  @ApiErrors(400)
  deliveries(
    @Param('id', ParseIntPipe) id: number,
    @Query() q: AttemptQueryDto,
  ): Promise<Page<NotificationAttemptDto>> {
    return this.channels.deliveries(id, q);
  }

  @Get('outbox')
  @ApiOperation({ summary: 'Owed, sent and dead notifications, newest first (status=DEAD: the dead letters)' })
  @ApiOkResponse({ type: NotificationPageDoc })
  @ApiErrors(400)
  outbox(@Query() q: NotificationQueryDto): Promise<Page<NotificationDto>> {
    return this.channels.outboxPage(q);
  }

  @Post('outbox/:id/retry')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a dead letter a fresh set of tries (audited)' })
  @ApiOkResponse({ type: NotificationDoc })
  @ApiErrors(404, 409)
  retry(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<NotificationDto> {
    return this.channels.retry(admin, id);
  }
}
