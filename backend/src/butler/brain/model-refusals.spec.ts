import { openaiSdk } from './openai-sdk';
import { refusedFeature } from './model-refusals';

const http = (status: number, message: string) =>
  new (openaiSdk().APIError)(status, { message }, message, new Headers());
const all = { tools: true, streaming: true, streamOptions: true };

describe('refusedFeature', () => {
  it.each([
    ['registry.ollama.ai/library/gemma:2b does not support tools', 'tools'],
    ['"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', 'tools'],
    ['Function calling is not enabled for this model', 'tools'],
    ['Unrecognized request argument supplied: stream_options', 'stream_options'],
    ['include_usage is only allowed when stream is true', 'stream_options'],
    ['streaming is not supported by this endpoint', 'streaming'],
  ])('names the feature a 400 refuses: %s', (message, feature) => {
    expect(refusedFeature(http(400, message), all)).toBe(feature);
  });

  it('only names what was sent, and only for refusal statuses', () => {
    expect(refusedFeature(http(400, 'does not support tools'), { ...all, tools: false })).toBeNull();
    expect(refusedFeature(http(400, 'stream_options unknown'), { ...all, streamOptions: false })).toBe('streaming');
    expect(refusedFeature(http(500, 'does not support tools'), all)).toBeNull();
    expect(refusedFeature(http(429, 'too many tool calls'), all)).toBeNull();
    expect(refusedFeature(new Error('does not support tools'), all)).toBeNull();
    expect(refusedFeature(http(400, 'context length exceeded'), all)).toBeNull();
  });
});
