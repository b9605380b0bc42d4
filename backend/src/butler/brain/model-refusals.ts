import { openaiSdk } from './openai-sdk';

/** A request feature an endpoint refused outright (so the request is worth repeating without it). */
export type Refused = 'tools' | 'streaming' | 'stream_options';

// Servers say it in their own words: "does not support tools", "\"auto\" tool choice requires
// --enable-auto-tool-choice", "function calling is not enabled", "Unrecognized request argument supplied:
// stream_options", "streaming is not supported".
const REFUSAL_STATUS = new Set([400, 404, 422, 501]);

/** Which feature of the request an HTTP error refuses, if it names one we sent; else null. */
export function refusedFeature(
  err: unknown,
  sent: { tools: boolean; streaming: boolean; streamOptions: boolean },
): Refused | null {
  const OpenAI = openaiSdk();
  if (!(err instanceof OpenAI.APIError) || !REFUSAL_STATUS.has(err.status ?? 0)) return null;
  const text = `${err.message} ${JSON.stringify(err.error ?? '')}`.toLowerCase();
  if (sent.streamOptions && /stream_options|include_usage/.test(text)) return 'stream_options';
  if (sent.tools && /\btools?\b|tool[ _-]?(call|choice|use)|function[ _-]?call/.test(text)) return 'tools';
  if (sent.streaming && /stream/.test(text)) return 'streaming';
  return null;
}
