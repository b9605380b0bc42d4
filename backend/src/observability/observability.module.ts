import { Global, Module } from '@nestjs/common';
import { ButlerMeter } from './butler-meter';
import { HubMetrics } from './hub-metrics';
import { MetricsServer } from './metrics-server';
import { SocketMeter } from './socket-meter';
import { ApprovalMeter, ChatCommitMeter, CommandMeter } from './work-meters';

const meter = <T>(type: new (m: HubMetrics) => T) => ({ provide: type, inject: [HubMetrics], useFactory: (m: HubMetrics) => new type(m) });

/**
 * Metrics and their recorders. Global: features inject the meter they record through (SocketMeter,
 * ButlerMeter, …), never prom-client. See docs/observability.md.
 */
@Global()
@Module({
  providers: [HubMetrics, MetricsServer, meter(SocketMeter), meter(ButlerMeter), meter(ChatCommitMeter), meter(ApprovalMeter), meter(CommandMeter)],
  exports: [HubMetrics, SocketMeter, ButlerMeter, ChatCommitMeter, ApprovalMeter, CommandMeter],
})
export class ObservabilityModule {}
