import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Actor } from './actor.entity';
import { ActorsService } from './actors.service';

/** Global: every feature asks who an id is. Only ActorsService holds the repository (it is not exported). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Actor])],
  providers: [ActorsService],
  exports: [ActorsService],
})
export class ActorsModule {}
