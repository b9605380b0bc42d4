import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserDto } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor, SessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/swagger';
import { UserDtoDoc } from './dto/user.doc';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth('jwt')
@AdminOnly()
@ApiErrors(401, 403)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'All users (admins)' })
  @ApiOkResponse({ type: [UserDtoDoc] })
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Post()
  @SessionOnly()
  @ApiOperation({ summary: 'Create a user with a role (audited)' })
  @ApiCreatedResponse({ type: UserDtoDoc })
  @ApiErrors(400, 409)
  create(@CurrentActor() admin: AuthActor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto.username, dto.password, dto.role, admin);
  }

  @Patch(':id')
  @SessionOnly()
  @ApiOperation({ summary: "Change a user's role, disable or enable them, or reset their password (audited)" })
  @ApiOkResponse({ type: UserDtoDoc, description: 'Change role, disable/enable, or reset the password' })
  @ApiErrors(400, 404, 409)
  update(
    @CurrentActor() admin: AuthActor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(id, dto, admin);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; the last admin cannot be deleted (audited)' })
  @ApiErrors(404, 409)
  async remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.users.remove(id, admin);
  }
}
