import { Global, Module } from '@nestjs/common';
import { DrainGateway } from './drain.gateway';
import { DrainState } from './drain-state';

/** Graceful shutdown; global so the health check can report draining without importing it. */
@Global()
@Module({ providers: [DrainState, DrainGateway], exports: [DrainState, DrainGateway] })
export class LifecycleModule {}
