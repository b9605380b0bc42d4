import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UserEvents } from './user-events';
import { UsersService } from './users.service';

@Module({ controllers: [UsersController], providers: [UsersService, UserEvents], exports: [UsersService, UserEvents] })
export class UsersModule {}
