import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { AgentDto } from '@echocenter/contracts';
import type { AppConfig } from '../../config/config';
import type { ButlerTools } from '../tools/butler-tools';
import { TOOL_DEFINITIONS } from '../tools/tool-definitions';
import type { Brain, BrainInput, BrainMessage, ReplySink } from './brain';
import { summaryMessages, turnMessages } from './model-context';
import { modelErrorMessage } from './model-errors';
import { openaiSdk } from './openai-sdk';
import { toolResultContent } from './untrusted-data';

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/** Any OpenAI-compatible endpoint through the official SDK: streamed answers, function calling, bounded tool loop. */
export class OpenAiBrain implements Brain {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly config: AppConfig['butler'], private readonly fleet: () => Promise<AgentDto[]>) {
    this.name = config.model!;
    // Retries are ours to decide: a rate limit or timeout ends the reply with a message instead of hanging.
    this.client = new (openaiSdk())({ baseURL: config.baseUrl!, apiKey: config.apiKey ?? 'none', maxRetries: 0, timeout: config.timeoutMs });
  }

  async reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    const messages = turnMessages(input, await this.fleet());

    try {
      for (let round = 0; ; round++) {
        // The last allowed round offers no tools, so the model has to answer with what it has.
        const allowTools = round < this.config.maxToolRounds;
        const { text, calls } = await this.stream(messages, allowTools, sink);
        if (!calls.length) return;
        messages.push({
          role: 'assistant',
          content: text || null,
          tool_calls: calls.map((c): ChatCompletionMessageToolCall => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        });
        // Independent calls (e.g. read-only questions to several agents) run in parallel.
        const results = await Promise.all(calls.map((c) => tools.call(c.name, c.arguments).catch((err: Error) => ({ error: err.message }))));
        calls.forEach((c, i) => messages.push({ role: 'tool', tool_call_id: c.id, content: toolResultContent(results[i]) }));
        if (text) sink.write('\n\n');
      }
    } catch (err) {
      sink.write(`${modelErrorMessage(err, this.config.timeoutMs)}`);
    }
  }

  async summarize(previous: string | null, history: BrainMessage[]): Promise<string> {
    const res = await this.client.chat.completions.create({ model: this.name, messages: summaryMessages(previous, history) }, { timeout: this.config.timeoutMs });
    const text = res.choices[0]?.message?.content?.trim();
    if (!text) throw new Error('the model returned an empty summary');
    return text;
  }

  private async stream(messages: ChatCompletionMessageParam[], allowTools: boolean, sink: ReplySink): Promise<{ text: string; calls: PendingCall[] }> {
    const abort = new AbortController();
    // One deadline for the whole streamed answer, not only for the first byte.
    const timer = setTimeout(() => abort.abort(new Error('timeout')), this.config.timeoutMs);
    try {
      const stream = await this.client.chat.completions.create(
        { model: this.name, messages, stream: true, ...(allowTools ? { tools: TOOL_DEFINITIONS } : {}) },
        { signal: abort.signal },
      );
      let text = '';
      const calls: PendingCall[] = [];
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) {
          text += delta.content;
          sink.write(delta.content);
        }
        for (const tc of delta?.tool_calls ?? []) {
          const call = (calls[tc.index] ??= { id: tc.id ?? `call_${tc.index}`, name: '', arguments: '' });
          if (tc.id) call.id = tc.id;
          if (tc.function?.name) call.name += tc.function.name;
          if (tc.function?.arguments) call.arguments += tc.function.arguments;
        }
      }
      if (abort.signal.aborted) throw new TimeoutReached();
      return { text, calls: calls.filter(Boolean) };
    } catch (err) {
      throw abort.signal.aborted ? new TimeoutReached() : err;
    } finally {
      clearTimeout(timer);
    }
  }
}

export class TimeoutReached extends Error {
  constructor() {
    super('timeout');
  }
}
