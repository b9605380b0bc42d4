import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Actor } from './actor.entity';
import { ActorsService } from './actors.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Actor])],
  providers: [ActorsService],
  exports: [ActorsService, TypeOrmModule],
})
export class ActorsModule {}
