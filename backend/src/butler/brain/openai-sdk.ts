import type OpenAI from 'openai';

let sdk: typeof OpenAI | null = null;

/**
 * The openai SDK, loaded on first use (~10 MB resident once loaded): an install that runs the offline
 * brain never loads it. Everything that needs its classes at run time goes through here; types are free.
 */
export function openaiSdk(): typeof OpenAI {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first model call only
  return (sdk ??= (require('openai') as { default: typeof OpenAI }).default);
}
