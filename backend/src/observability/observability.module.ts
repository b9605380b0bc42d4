import { Global, Module } from '@nestjs/common';
import { ButlerMeter } from './butler-meter';
import { HubMetrics } from './hub-metrics';
import { HubTracer } from './hub-tracer';
import { MetricsServer } from './metrics-server';
import { SocketMeter } from './socket-meter';
import { ApprovalMeter, ChatCommitMeter, CommandMeter } from './work-meters';

const meter = <T>(type: new (m: HubMetrics) => T) => ({
  provide: type,
  inject: [HubMetrics],
  useFactory: (m: HubMetrics) => new type(m),
});
const socketMeter = {
  provide: SocketMeter,
  inject: [HubMetrics, HubTracer],
  useFactory: (m: HubMetrics, t: HubTracer) => new SocketMeter(m, t),
};

/**
 * Metrics, traces and their recorders. Global: features inject the meter they record through (SocketMeter,
 * ButlerMeter, …), never prom-client. See docs/observability.md.
 */
@Global()
@Module({
  providers: [
    HubMetrics,
    HubTracer,
    MetricsServer,
    socketMeter,
    meter(ButlerMeter),
    meter(ChatCommitMeter),
    meter(ApprovalMeter),
    meter(CommandMeter),
  ],
  exports: [HubMetrics, HubTracer, SocketMeter, ButlerMeter, ChatCommitMeter, ApprovalMeter, CommandMeter],
})
export class ObservabilityModule {}
