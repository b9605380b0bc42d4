import { Module } from '@nestjs/common';
import { ButlerController } from './butler.controller';
import { ButlerIdentity } from './butler-identity.service';

@Module({ controllers: [ButlerController], providers: [ButlerIdentity], exports: [ButlerIdentity] })
export class ButlerModule {}
