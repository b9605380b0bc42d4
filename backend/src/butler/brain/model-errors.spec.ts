import { badArgumentsMessage, modelErrorMessage } from './model-errors';
import { openaiSdk } from './openai-sdk';

const OpenAI = openaiSdk();
const headers = new Headers();
const FAILURES: Array<[string, unknown]> = [
  ['a timeout', new Error('timeout')],
  ['a connection timeout', new OpenAI.APIConnectionTimeoutError()],
  ['a rate limit', new OpenAI.RateLimitError(429, { message: 'slow down' }, 'slow down', headers)],
  ['refused credentials', new OpenAI.AuthenticationError(401, { message: 'bad key' }, 'bad key', headers)],
  ['a forbidden model', new OpenAI.PermissionDeniedError(403, { message: 'no' }, 'no', headers)],
  ['no connection', new OpenAI.APIConnectionError({ message: 'ECONNREFUSED' })],
  ['an HTTP error', new OpenAI.APIError(502, { message: 'bad gateway' }, 'bad gateway', headers)],
  ['anything else', new Error('socket hang up')],
];
// What may stay in Latin letters inside a Chinese line: names of settings and protocols, and the error's own words.
const KEPT = /BUTLER_API_KEY|HTTP|JSON|socket hang up/g;

describe('modelErrorMessage', () => {
  it.each(FAILURES)('says %s in the thread’s language: Chinese in a 中文 thread', (_, err) => {
    const zh = modelErrorMessage(err, 60_000, 'zh-CN');
    expect(zh).toMatch(/^\n\n⚠️ \p{Script=Han}/u);
    expect(zh.replace(KEPT, '')).not.toMatch(/[A-Za-z]{2,}/);
  });

  it.each(FAILURES)('says %s in English in an English thread', (_, err) => {
    expect(modelErrorMessage(err, 60_000, 'en')).toMatch(/^\n\n⚠️ [A-Z][a-z]* [a-z]+/);
  });

  it('keeps the facts in both: the seconds waited, the HTTP status, the error’s own words', () => {
    expect(modelErrorMessage(new Error('timeout'), 45_000, 'en')).toContain('within 45 s');
    expect(modelErrorMessage(new Error('timeout'), 45_000, 'zh-CN')).toContain('45 秒');
    const http = new OpenAI.APIError(502, { message: 'bad gateway' }, 'bad gateway', headers);
    expect(modelErrorMessage(http, 1000, 'zh-CN')).toContain('HTTP 502');
    expect(modelErrorMessage(new Error('socket hang up'), 1000, 'zh-CN')).toContain('（socket hang up）');
  });

  it('says twice-invalid tool arguments in the thread’s language', () => {
    expect(badArgumentsMessage('en')).toContain('not valid JSON twice');
    expect(badArgumentsMessage('zh-CN').replace(KEPT, '')).not.toMatch(/[A-Za-z]{2,}/);
  });
});
