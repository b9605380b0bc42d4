import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, UserDto } from '@echocenter/contracts';
import { ApiErrors } from '../common/swagger';
import { UserDtoDoc } from '../users/dto/user.doc';
import type { AuthActor } from './auth-actor';
import { CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDoc } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
  @ApiOkResponse({ type: UserDtoDoc })
  @ApiErrors(401)
  me(@CurrentActor() actor: AuthActor): Promise<UserDto> {
    return this.auth.me(actor.id);
  }
}
