import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessToken } from './access-token.entity';
import { AccessTokensController } from './access-tokens.controller';
import { AccessTokensService } from './access-tokens.service';

/** Personal access tokens (GET/POST/DELETE /api/access-tokens); verified by the global guard and by /mcp. */
@Module({
  imports: [TypeOrmModule.forFeature([AccessToken])],
  controllers: [AccessTokensController],
  providers: [AccessTokensService],
  exports: [AccessTokensService],
})
export class AccessTokensModule {}
