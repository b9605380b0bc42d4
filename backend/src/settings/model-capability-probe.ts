import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ModelCapabilitiesDto } from '@echocenter/contracts';
import { refusedFeature } from '../butler/brain/model-refusals';
import { StreamAssembler, type AssembledCompletion } from '../butler/brain/stream-assembler';

const PROBE_TOOL = 'echocenter_ping';
const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: PROBE_TOOL,
      description: 'Answers pong. Call it when asked to.',
      parameters: { type: 'object', properties: {} },
    },
  },
];
const MESSAGES: ChatCompletionMessageParam[] = [{ role: 'user', content: `Call the function ${PROBE_TOOL}.` }];

/**
 * What the endpoint+model supports, found the way the Butler finds it: one tiny streamed request with
 * usage asked for and one tool offered; each refusal (HTTP 400 naming the feature) is noted and the
 * request repeated without it. Any other error is thrown (the caller reports it).
 */
export async function probeCapabilities(
  client: OpenAI,
  model: string,
  timeoutMs: number,
): Promise<ModelCapabilitiesDto> {
  const caps: ModelCapabilitiesDto = { streaming: true, streamUsage: true, tools: 'accepted' };
  let tools = true;
  // At most one refusal per feature, then the answer.
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await ask(client, model, caps, tools, timeoutMs);
      if (caps.streaming && caps.streamUsage) caps.streamUsage = answer.usage !== null;
      caps.tools = !tools ? 'refused' : answer.calls.some((c) => c.name === PROBE_TOOL) ? 'called' : 'accepted';
      return caps;
    } catch (err) {
      const refused =
        attempt < 3
          ? refusedFeature(err, { tools, streaming: caps.streaming, streamOptions: caps.streaming && caps.streamUsage })
          : null;
      if (refused === 'stream_options') caps.streamUsage = false;
      else if (refused === 'tools') tools = false;
      else if (refused === 'streaming') caps.streaming = caps.streamUsage = false;
      else throw err;
    }
  }
}

async function ask(
  client: OpenAI,
  model: string,
  caps: ModelCapabilitiesDto,
  tools: boolean,
  timeoutMs: number,
): Promise<AssembledCompletion> {
  const signal = AbortSignal.timeout(timeoutMs);
  const base = { model, messages: MESSAGES, ...(tools ? { tools: TOOLS } : {}) };
  if (!caps.streaming) return StreamAssembler.fromCompletion(await client.chat.completions.create(base, { signal }));
  const stream = await client.chat.completions.create(
    { ...base, stream: true, ...(caps.streamUsage ? { stream_options: { include_usage: true } } : {}) },
    { signal },
  );
  const assembler = new StreamAssembler();
  for await (const chunk of stream) assembler.push(chunk);
  return assembler.result();
}
