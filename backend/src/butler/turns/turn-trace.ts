import type { Attributes } from '@opentelemetry/api';
import type { HubTracer, Span } from '../../observability/hub-tracer';

/**
 * One Butler turn's span and a way to hang children under it (context load, model calls, tool calls);
 * every method is a no-op while tracing is off. Passed down explicitly (BrainInput, ButlerTools).
 */
export class TurnTrace {
  constructor(
    private readonly tracer: HubTracer,
    readonly span: Span | undefined,
  ) {}

  child(name: string, attributes?: Attributes): Span | undefined {
    return this.span && this.tracer.start(name, { parent: this.span, attributes });
  }

  /** The approval this turn opened: its wait, decision and command run live in the approval's own trace. */
  linkApproval(span: Span | undefined, approvalId: number): void {
    span?.addLink(this.tracer.approvalLink(approvalId)).setAttribute('echocenter.approval.id', approvalId);
  }
}
