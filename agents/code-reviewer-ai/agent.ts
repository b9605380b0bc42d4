import type { Agent, AgentProgram } from '../sdk';
import { errorMessage } from '../sdk';
import { formatReview, reviewHeuristically } from './heuristics';
import { reviewWithLlm, type LlmConfig } from './llm';

export interface CodeReviewerOptions {
  /** When set, reviews come from this model, with the heuristics as hints and as the fallback. */
  llm?: LlmConfig;
  /** Model output is forwarded in pieces at most this often, to stay far below the hub's rate limit. */
  streamIntervalMs?: number;
}

/** Code-Reviewer-AI: `review <code>` with an LLM when configured, else a heuristic review. */
export function createCodeReviewer({ llm, streamIntervalMs = 250 }: CodeReviewerOptions = {}): AgentProgram {
  return {
    card: {
      description: `Reviews code${llm ? ` with ${llm.model}` : ' with heuristics (no LLM configured)'}: bugs, risks, style.`,
      version: '1.0.0',
      commands: [
        { name: 'review', args: '<code>', description: 'Reviews the code given as the argument.', readOnly: true },
      ],
    },
    start(agent) {
      const review = (code: string, stream: (text: string) => void, signal: AbortSignal) =>
        reviewCode(agent, code, { llm, streamIntervalMs, stream, signal });
      agent.onCommand('review', (code, ctx) => review(code, ctx.stream, ctx.signal));
      // In a direct chat, whatever a human sends is the code to review.
      agent.onChat((text, ctx) => review(text, ctx.stream, new AbortController().signal));
      agent.log('INFO', `Code-Reviewer-AI ready (${llm ? `model ${llm.model}` : 'heuristic mode'})`);
    },
  };
}

interface ReviewRun {
  llm?: LlmConfig;
  streamIntervalMs: number;
  stream: (text: string) => void;
  signal: AbortSignal;
}

async function reviewCode(agent: Agent, code: string, run: ReviewRun): Promise<string> {
  if (!code.trim()) throw new Error('review needs code, e.g. "review const x: any = 1"');
  const heuristic = reviewHeuristically(code);
  if (!run.llm) return formatReview(heuristic, 'Heuristic review');

  const pieces = batch(run.stream, run.streamIntervalMs);
  try {
    return await reviewWithLlm(code, heuristic, run.llm, { signal: run.signal, onDelta: pieces.push });
  } catch (err) {
    if (run.signal.aborted) throw err;
    agent.log('WARNING', `LLM review failed (${errorMessage(err)}); answered with heuristics instead`);
    return formatReview(heuristic, 'Heuristic review (the model was unavailable)');
  } finally {
    pieces.flush();
  }
}

/** Joins small pieces of text and forwards them at most once per interval. */
function batch(forward: (text: string) => void, intervalMs: number): { push(text: string): void; flush(): void } {
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer) forward(buffer);
    buffer = '';
  };
  return {
    push(text) {
      buffer += text;
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}
