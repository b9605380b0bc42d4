import { Global, Module } from '@nestjs/common';
import { DomainEventBus } from './domain-event-bus';

/** The domain event bus, global: any feature publishes or subscribes without importing the others' modules. */
@Global()
@Module({ providers: [DomainEventBus], exports: [DomainEventBus] })
export class EventsModule {}
