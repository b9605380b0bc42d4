import { Module } from '@nestjs/common';
import { ButlerIdentity } from './butler-identity.service';

/** Who the Butler is, on its own so commands and approvals can name it without importing the Butler. */
@Module({ providers: [ButlerIdentity], exports: [ButlerIdentity] })
export class ButlerIdentityModule {}
