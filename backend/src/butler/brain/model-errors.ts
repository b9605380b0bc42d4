import { openaiSdk } from './openai-sdk';

/** A model failure as one clear line for the thread; never internals such as keys or stack traces. */
export function modelErrorMessage(err: unknown, timeoutMs: number): string {
  const OpenAI = openaiSdk();
  const lead = '\n\n⚠️ ';
  if ((err as Error)?.message === 'timeout' || err instanceof OpenAI.APIConnectionTimeoutError) {
    return `${lead}The language model did not answer within ${Math.round(timeoutMs / 1000)} s, so I stopped waiting. Please try again.`;
  }
  if (err instanceof OpenAI.RateLimitError)
    return `${lead}The language model is rate-limiting requests right now. Please try again in a minute.`;
  if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
    return `${lead}The language model refused the credentials (BUTLER_API_KEY); an admin needs to check the Butler's configuration.`;
  }
  if (err instanceof OpenAI.APIConnectionError)
    return `${lead}I could not reach the language model. Please try again later.`;
  if (err instanceof OpenAI.APIError)
    return `${lead}The language model answered with an error (HTTP ${err.status ?? '?'}). Please try again.`;
  return `${lead}Something went wrong while I was thinking (${(err as Error)?.message ?? 'unknown error'}). Please try again.`;
}
