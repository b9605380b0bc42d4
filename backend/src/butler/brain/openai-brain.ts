import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { AgentDto } from '@echocenter/contracts';
import type { AppConfig } from '../../config/config';
import type { ButlerMeter } from '../../observability/butler-meter';
import { endSpan } from '../../observability/hub-tracer';
import type { ButlerTools } from '../tools/butler-tools';
import { TOOL_DEFINITIONS } from '../tools/tool-definitions';
import { callUsage, type TurnUsage } from '../usage/turn-usage';
import type { Brain, BrainInput, BrainMessage, ReplySink } from './brain';
import { capabilitiesOf, type ModelCapabilities } from './model-capabilities';
import { summaryMessages, turnMessages } from './model-context';
import { badArgumentsMessage, modelErrorMessage } from './model-errors';
import { refusedFeature } from './model-refusals';
import { explicitIntent } from './offline-intents';
import { openaiSdk } from './openai-sdk';
import { invalidArgumentCalls, StreamAssembler, type AssembledCompletion } from './stream-assembler';
import { toolResultContent } from './untrusted-data';

/**
 * Any OpenAI-compatible endpoint through the official SDK: streamed answers, function calling, bounded
 * tool loop. What the endpoint refuses (tools, streaming, usage in the stream) is learnt from its errors,
 * remembered per endpoint+model, and the request repeated without it.
 */
export class OpenAiBrain implements Brain {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly caps: ModelCapabilities;

  constructor(
    private readonly config: AppConfig['butler'],
    private readonly fleet: () => Promise<AgentDto[]>,
    /** Answers explicit commands ("ask X to Y") when the model cannot use tools. */
    private readonly offline: Brain,
    /** Model latency and tokens (butler_model_call_seconds, butler_tokens_total). */
    private readonly meter: ButlerMeter,
  ) {
    this.name = config.model!;
    // Retries are ours to decide: a rate limit or timeout ends the reply with a message instead of hanging.
    this.client = new (openaiSdk())({
      baseURL: config.baseUrl!,
      apiKey: config.apiKey ?? 'none',
      maxRetries: 0,
      timeout: config.timeoutMs,
    });
    this.caps = capabilitiesOf(config.baseUrl!, config.model!);
  }

  /** Whether this turn may offer tools (false once the model refused them under 'auto'); no lookup per round. */
  private toolsUsable(): boolean {
    return this.config.tools === 'auto' ? this.caps.tools !== false : this.config.tools === 'on';
  }

  async reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    // Without tools the model cannot act; an explicit command still goes through the same tools and approvals.
    if (!this.toolsUsable() && (await this.isExplicitCommand(input, tools)))
      return this.offline.reply(input, tools, sink);
    let messages = turnMessages(input, await this.fleet(), new Date(), this.toolsUsable());
    let badArguments = 0;

    try {
      for (let round = 0; ; round++) {
        // The last allowed round offers no tools, so the model has to answer with what it has.
        const allowTools = round < this.config.maxToolRounds && this.toolsUsable();
        const answer = await this.complete(messages, allowTools, sink, input).catch((err: unknown) => {
          if (
            !allowTools ||
            this.config.tools !== 'auto' ||
            refusedFeature(err, { tools: true, streaming: false, streamOptions: false }) !== 'tools'
          )
            throw err;
          this.caps.tools = false;
          return null;
        });
        if (!answer) {
          // Refused tools: the same turn again, in words (or through the offline commands).
          if (round === 0 && (await this.isExplicitCommand(input, tools)))
            return this.offline.reply(input, tools, sink);
          messages = turnMessages(input, await this.fleet(), new Date(), false);
          continue;
        }
        if (allowTools && this.config.tools === 'auto') this.caps.tools = true;
        const { text, calls } = answer;
        if (!calls.length) return;
        if (invalidArgumentCalls(calls).length && ++badArguments > 1)
          return sink.write(badArgumentsMessage(input.locale));
        messages.push({
          role: 'assistant',
          content: text || null,
          tool_calls: calls.map((c): ChatCompletionMessageToolCall => ({
            id: c.id,
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          })),
        });
        // Independent calls (e.g. read-only questions to several agents) run in parallel; invalid JSON
        // comes back as a tool error the model may correct once.
        const results = await Promise.all(
          calls.map((c) => tools.call(c.name, c.arguments).catch((err: Error) => ({ error: err.message }))),
        );
        calls.forEach((c, i) =>
          messages.push({ role: 'tool', tool_call_id: c.id, content: toolResultContent(results[i]) }),
        );
        if (text) sink.write('\n\n');
      }
    } catch (err) {
      // In the thread's language, like everything else the Butler says there.
      sink.write(modelErrorMessage(err, this.config.timeoutMs, input.locale));
    }
  }

  /** An offline phrase naming a known agent (so "Note: …" stays the model's to answer). */
  private async isExplicitCommand(input: BrainInput, tools: ButlerTools): Promise<boolean> {
    const intent = explicitIntent(input);
    if (!intent) return false;
    if (intent.kind === 'command' || intent.kind === 'ask' || intent.kind === 'status')
      return (await tools.findAgent(intent.agent)) !== null;
    return true;
  }

  async summarize(previous: string | null, history: BrainMessage[], usage?: TurnUsage): Promise<string> {
    const startedAt = performance.now();
    const res = await this.client.chat.completions
      .create({ model: this.name, messages: summaryMessages(previous, history) }, { timeout: this.config.timeoutMs })
      .catch((err: unknown) => {
        this.meter.modelCall(this.name, false, (performance.now() - startedAt) / 1000, null);
        throw err;
      });
    const spent = callUsage(res.usage);
    this.meter.modelCall(this.name, true, (performance.now() - startedAt) / 1000, spent);
    usage?.add(this.name, spent);
    const text = StreamAssembler.fromCompletion(res).text.trim();
    if (!text) throw new Error('the model returned an empty summary');
    return text;
  }

  /** One answer: streamed where the endpoint streams, else in one piece; usage asked for where accepted. */
  private async complete(
    messages: ChatCompletionMessageParam[],
    allowTools: boolean,
    sink: ReplySink,
    turn: Pick<BrainInput, 'usage' | 'trace'>,
  ): Promise<AssembledCompletion> {
    for (;;) {
      const streaming = this.caps.streaming !== false;
      const streamOptions = streaming && this.caps.streamUsage !== false;
      const startedAt = performance.now();
      const span = turn.trace?.child('butler.model_call', {
        'gen_ai.request.model': this.name,
        'gen_ai.streaming': streaming,
        'gen_ai.tools_offered': allowTools,
      });
      try {
        const answer = streaming
          ? await this.stream(messages, allowTools, streamOptions, sink)
          : await this.whole(messages, allowTools, sink);
        const spent = callUsage(answer.usage);
        this.meter.modelCall(this.name, true, (performance.now() - startedAt) / 1000, spent);
        turn.usage?.add(this.name, spent);
        span?.setAttributes({
          'gen_ai.usage.input_tokens': spent?.promptTokens ?? 0,
          'gen_ai.usage.output_tokens': spent?.completionTokens ?? 0,
          'gen_ai.tool_calls': answer.calls.length,
        });
        endSpan(span);
        return answer;
      } catch (err) {
        this.meter.modelCall(this.name, false, (performance.now() - startedAt) / 1000, null);
        endSpan(span, err);
        // A refusal of tools is the caller's to handle (it depends on butler.tools), so it is named here too.
        const refused = refusedFeature(err, { tools: allowTools, streaming, streamOptions });
        if (refused === 'stream_options') this.caps.streamUsage = false;
        else if (refused === 'streaming') this.caps.streaming = false;
        else throw err;
      }
    }
  }

  private async whole(
    messages: ChatCompletionMessageParam[],
    allowTools: boolean,
    sink: ReplySink,
  ): Promise<AssembledCompletion> {
    const res = await this.client.chat.completions.create(
      { model: this.name, messages, ...(allowTools ? { tools: TOOL_DEFINITIONS } : {}) },
      { timeout: this.config.timeoutMs },
    );
    const answer = StreamAssembler.fromCompletion(res);
    if (answer.text) sink.write(answer.text);
    return answer;
  }

  private async stream(
    messages: ChatCompletionMessageParam[],
    allowTools: boolean,
    streamOptions: boolean,
    sink: ReplySink,
  ): Promise<AssembledCompletion> {
    const abort = new AbortController();
    // One deadline for the whole streamed answer, not only for the first byte.
    const timer = setTimeout(() => abort.abort(new Error('timeout')), this.config.timeoutMs);
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.name,
          messages,
          stream: true,
          ...(streamOptions ? { stream_options: { include_usage: true } } : {}),
          ...(allowTools ? { tools: TOOL_DEFINITIONS } : {}),
        },
        { signal: abort.signal },
      );
      if (streamOptions) this.caps.streamUsage = true;
      const assembler = new StreamAssembler();
      for await (const chunk of stream) {
        const piece = assembler.push(chunk);
        if (piece) sink.write(piece);
      }
      if (abort.signal.aborted) throw new TimeoutReached();
      const rest = assembler.flush();
      if (rest) sink.write(rest);
      return assembler.result();
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
