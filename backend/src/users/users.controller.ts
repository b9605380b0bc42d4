import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserDto } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { AdminOnly, CurrentActor } from '../auth/auth.decorators';
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
  @ApiOkResponse({ type: [UserDtoDoc] })
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Post()
  @ApiCreatedResponse({ type: UserDtoDoc })
  @ApiErrors(400, 409)
  create(@CurrentActor() admin: AuthActor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto.username, dto.password, dto.role, admin);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDtoDoc, description: 'Change role, disable/enable, or reset the password' })
  @ApiErrors(400, 404, 409)
  update(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto, admin);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiErrors(404, 409)
  async remove(@CurrentActor() admin: AuthActor, @Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.users.remove(id, admin);
  }
}
