import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, UserDto } from '@echocenter/contracts';
import { ApiErrors } from '../common/swagger';
import { UserDtoDoc } from '../users/dto/user.doc';
import { UsersService } from '../users/users.service';
import type { AuthActor } from './auth-actor';
import { CurrentActor, Public, SessionOnly } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDoc } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Exchange username and password for a JWT (rate-limited per IP and per username)' })
  @ApiOkResponse({ type: LoginResponseDoc })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto): Promise<LoginResponse> {
    return this.auth.login(dto.username, dto.password);
  }

  @Get('me')
  @ApiBearerAuth('jwt')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDtoDoc })
  @ApiErrors(401)
  me(@CurrentActor() actor: AuthActor): Promise<UserDto> {
    return this.auth.me(actor.id);
  }

  @Post('logout-all')
  @SessionOnly()
  @HttpCode(204)
  @ApiBearerAuth('jwt')
  @ApiOperation({
    summary:
      'Sign out everywhere: every token of the caller (this one too) stops working and their open sockets close, on every node',
  })
  @ApiNoContentResponse({ description: 'Done; sign in again for a new token' })
  @ApiErrors(401)
  async logoutAll(@CurrentActor() actor: AuthActor): Promise<void> {
    await this.users.endAllSessions(actor);
  }
}
