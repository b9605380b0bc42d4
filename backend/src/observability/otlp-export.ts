import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AppConfig } from '../config/config';

export interface OtlpExport {
  shutdown(): Promise<void>;
}

/**
 * Spans over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, batched off the hot path.
 * When a provider is registered already (a host process's SDK, a test's in-memory exporter), that one
 * keeps the spans and this returns null. The basic provider registers no async context manager.
 */
export function startOtlpExport(config: AppConfig): OtlpExport | null {
  const url = `${config.tracing.endpoint!.replace(/\/+$/, '')}/v1/traces`;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': config.tracing.serviceName,
      'service.instance.id': config.metrics.node,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    void provider.shutdown();
    return null;
  }
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
