import { trace } from '@opentelemetry/api';
import type { AppConfig } from '../../src/config/config';
import { startOtlpExport } from '../../src/observability/otlp-export';

/**
 * `tsx otlp-export-child.ts <endpoint>`: the hub's OTLP exporter (observability/otlp-export.ts) sends one
 * span and shuts down. Its own process: the exporter loads `http` with `import()`, which Jest's CommonJS
 * sandbox cannot run.
 */
async function main(): Promise<void> {
  const config = {
    tracing: { endpoint: process.argv[2], serviceName: 'echocenter-e2e' },
    metrics: { node: 'node-otlp' },
  } as AppConfig;
  const exporter = startOtlpExport(config);
  if (!exporter) throw new Error('a tracer provider was already registered');
  trace
    .getTracer('echocenter')
    .startSpan('GET /api/agents', { attributes: { 'http.route': '/api/agents' } })
    .end();
  await exporter.shutdown();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
