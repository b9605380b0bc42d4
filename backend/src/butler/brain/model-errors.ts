import type { Locale } from '@echocenter/contracts';
import { openaiSdk } from './openai-sdk';

const LEAD = '\n\n⚠️ ';

/** What the thread hears when the model fails, per language (the thread's); never keys or stack traces. */
interface ModelErrorText {
  timedOut(seconds: number): string;
  rateLimited: string;
  credentials: string;
  unreachable: string;
  httpError(status: number | string): string;
  /** The model's own message is data and stays as it came. */
  other(message: string): string;
  badArguments: string;
}

const MODEL_ERROR_TEXT: Record<Locale, ModelErrorText> = {
  en: {
    timedOut: (s) => `The language model did not answer within ${s} s, so I stopped waiting. Please try again.`,
    rateLimited: 'The language model is rate-limiting requests right now. Please try again in a minute.',
    credentials:
      "The language model refused the credentials (BUTLER_API_KEY); an admin needs to check the Butler's configuration.",
    unreachable: 'I could not reach the language model. Please try again later.',
    httpError: (status) => `The language model answered with an error (HTTP ${status}). Please try again.`,
    other: (message) => `Something went wrong while I was thinking (${message}). Please try again.`,
    badArguments:
      'The language model sent tool arguments that were not valid JSON twice, so I stopped. Please rephrase, or try again.',
  },
  'zh-CN': {
    timedOut: (s) => `语言模型在 ${s} 秒内没有回应，我已停止等待。请再试一次。`,
    rateLimited: '语言模型当前正在限制请求频率。请一分钟后再试。',
    credentials: '语言模型拒绝了凭据（BUTLER_API_KEY）；需要管理员检查管家的配置。',
    unreachable: '我无法连接到语言模型。请稍后再试。',
    httpError: (status) => `语言模型返回了错误（HTTP ${status}）。请再试一次。`,
    other: (message) => `我思考时出了问题（${message}）。请再试一次。`,
    badArguments: '语言模型两次发送了无效 JSON 的工具参数，我已停止。请换个说法，或再试一次。',
  },
};

/** A model failure as one clear line for the thread, in its language. */
export function modelErrorMessage(err: unknown, timeoutMs: number, locale: Locale): string {
  const OpenAI = openaiSdk();
  const say = MODEL_ERROR_TEXT[locale];
  if ((err as Error)?.message === 'timeout' || err instanceof OpenAI.APIConnectionTimeoutError)
    return LEAD + say.timedOut(Math.round(timeoutMs / 1000));
  if (err instanceof OpenAI.RateLimitError) return LEAD + say.rateLimited;
  if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError)
    return LEAD + say.credentials;
  if (err instanceof OpenAI.APIConnectionError) return LEAD + say.unreachable;
  if (err instanceof OpenAI.APIError) return LEAD + say.httpError(err.status ?? '?');
  const unknown = locale === 'zh-CN' ? '未知错误' : 'unknown error';
  return LEAD + say.other((err as Error)?.message ?? unknown);
}

/** The model sent unparseable tool arguments twice in one turn. */
export function badArgumentsMessage(locale: Locale): string {
  return LEAD + MODEL_ERROR_TEXT[locale].badArguments;
}
