import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { startOtlpExport, type OtlpExport } from './otlp-export';

export { SpanKind, SpanStatusCode, type Span };

/**
 * OpenTelemetry spans, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (then nothing here allocates).
 * Parents are passed explicitly, never through an async context: Node 20's AsyncLocalStorage taxes every
 * promise of the socket traffic (see logging/request-logger.ts). Work that continues on another node
 * (an approval decided there, its command run there) is tied together through the stored approval id:
 * `approvalContext(id)` is the same on every node.
 */
@Injectable()
export class HubTracer implements OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly tracer: Tracer;
  private readonly exporter: OtlpExport | null;
  private readonly logger = new Logger('Tracing');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.enabled = config.tracing.endpoint !== null;
    this.exporter = this.enabled ? startOtlpExport(config) : null;
    if (this.enabled)
      this.logger.log(
        this.exporter
          ? `exporting spans to ${config.tracing.endpoint}`
          : 'a tracer provider was already registered: spans go there',
      );
    this.tracer = trace.getTracer('echocenter');
  }

  /** A span (or undefined when tracing is off); `parent` a span or a context. */
  start(
    name: string,
    opts: { attributes?: Attributes; parent?: Span | Context; kind?: SpanKind; startTime?: Date; links?: Link[] } = {},
  ): Span | undefined {
    if (!this.enabled) return undefined;
    const parent =
      opts.parent === undefined
        ? ROOT_CONTEXT
        : isSpan(opts.parent)
          ? trace.setSpan(ROOT_CONTEXT, opts.parent)
          : opts.parent;
    return this.tracer.startSpan(
      name,
      {
        attributes: opts.attributes,
        kind: opts.kind ?? SpanKind.INTERNAL,
        startTime: opts.startTime,
        links: opts.links,
      },
      parent,
    );
  }

  /** The context every span about approval `id` hangs under, on any node: derived from the id alone. */
  approvalContext(id: number): Context {
    return trace.setSpanContext(ROOT_CONTEXT, approvalSpanContext(id));
  }

  /** A link from the turn that asked to the approval's spans. */
  approvalLink(id: number): Link {
    return { context: approvalSpanContext(id), attributes: { 'echocenter.approval.id': id } };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.exporter?.shutdown().catch(() => undefined);
  }
}

/** Ends a span with an outcome: ok, or an error status with its message. */
export function endSpan(span: Span | undefined, error?: unknown, endTime?: Date): void {
  if (!span) return;
  if (error !== undefined)
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end(endTime);
}

function isSpan(x: Span | Context): x is Span {
  return typeof (x as Span).spanContext === 'function';
}

function approvalSpanContext(id: number): SpanContext {
  const hash = createHash('sha256').update(`echocenter:approval:${id}`).digest('hex');
  return { traceId: hash.slice(0, 32), spanId: hash.slice(32, 48), traceFlags: TraceFlags.SAMPLED, isRemote: true };
}
