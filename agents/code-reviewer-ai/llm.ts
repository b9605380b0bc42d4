import type { Review } from './heuristics';

/** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, …). */
export interface LlmConfig {
  baseURL: string;
  apiKey: string;
  model: string;
}

/** AGENT_LLM_* wins, BUTLER_* is the fallback; without a base URL and a model there is no LLM. */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv): LlmConfig | undefined {
  const baseURL = env.AGENT_LLM_BASE_URL || env.BUTLER_BASE_URL;
  const model = env.AGENT_LLM_MODEL || env.BUTLER_MODEL;
  // Local servers often need no key, but the client insists on one.
  const apiKey = env.AGENT_LLM_API_KEY || env.BUTLER_API_KEY || 'not-needed';
  return baseURL && model ? { baseURL, apiKey, model } : undefined;
}

const SYSTEM_PROMPT = `You are Code-Reviewer-AI, a senior engineer reviewing a snippet for a colleague.
Answer in plain text: one line of verdict, then the most important findings as "- L<line> <severity>: <finding and fix>".
Focus on bugs, security, error handling and clarity. Be concise; do not rewrite the whole code.`;

/** Streams a review from the model; `onDelta` gets each piece of text as it arrives. */
export async function reviewWithLlm(
  code: string,
  hints: Review,
  config: LlmConfig,
  { signal, onDelta }: { signal: AbortSignal; onDelta: (text: string) => void },
): Promise<string> {
  // Loaded on first use: agents without an LLM never pay for the client.
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey, maxRetries: 1, timeout: 60_000 });
  const lint = hints.findings.map((f) => `L${f.line} ${f.rule}: ${f.message}`).join('\n') || 'none';
  const stream = await client.chat.completions.create(
    {
      model: config.model,
      stream: true,
      temperature: 0.2,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        {
          role: 'user',
          content: `Review this ${hints.language} code.\n\nA linter already noted:\n${lint}\n\n\`\`\`\n${code}\n\`\`\``,
        },
      ],
    },
    { signal },
  );
  let text = '';
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta?.content ?? '';
    if (!delta) continue;
    text += delta;
    onDelta(delta);
  }
  if (!text.trim()) throw new Error('the model returned an empty review');
  return text;
}
