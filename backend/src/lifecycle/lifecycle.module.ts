import { Global, Module } from '@nestjs/common';
import { DrainGateway } from './drain.gateway';
import { DrainState } from './drain-state';
import { SlowConsumerGuard } from './slow-consumer.guard';

/** Graceful shutdown and the slow-consumer bound; global so the health check can see draining. */
@Global()
@Module({ providers: [DrainState, DrainGateway, SlowConsumerGuard], exports: [DrainState, DrainGateway] })
export class LifecycleModule {}
