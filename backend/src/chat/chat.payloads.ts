import type { ChatChunkPayload, ChatEndPayload, ChatSendPayload, Locale } from '@echocenter/contracts';
import { LOCAL_ID_RULE as ID_RULE } from '../common/local-id';
import type { AppConfig } from '../config/config';
import { PayloadReader } from '../gateway/payload-reader';

type Limits = AppConfig['limits'];

// Every Locale of the contract (a types-only package, so the list lives here).
export const LOCALES = ['en', 'zh-CN'] as const satisfies readonly Locale[];

export function parseChatSend(payload: unknown, limits: Limits): ChatSendPayload {
  const r = PayloadReader.of(payload);
  const out: ChatSendPayload = { targetId: r.int('targetId'), text: r.str('text', { max: limits.textChars }) };
  const localId = r.optStr('localId', ID_RULE);
  const streamId = r.optStr('streamId', ID_RULE);
  const conversationId = r.optInt('conversationId');
  const replyTo = r.optInt('replyTo');
  const locale = r.has('locale') ? r.oneOf('locale', LOCALES) : undefined;
  r.done();
  if (locale !== undefined) out.locale = locale;
  if (localId !== undefined) out.localId = localId;
  if (streamId !== undefined) out.streamId = streamId;
  if (conversationId !== undefined) out.conversationId = conversationId;
  if (replyTo !== undefined) out.replyTo = replyTo;
  return out;
}

export function parseChatChunk(payload: unknown, limits: Limits): ChatChunkPayload {
  const r = PayloadReader.of(payload);
  const out: ChatChunkPayload = {
    targetId: r.int('targetId'),
    streamId: r.str('streamId', ID_RULE),
    text: r.str('text', { min: 0, max: limits.textChars }),
  };
  const conversationId = r.optInt('conversationId');
  r.done();
  if (conversationId !== undefined) out.conversationId = conversationId;
  return out;
}

export function parseChatEnd(payload: unknown): ChatEndPayload {
  const r = PayloadReader.of(payload);
  const out: ChatEndPayload = { targetId: r.int('targetId'), streamId: r.str('streamId', ID_RULE) };
  const conversationId = r.optInt('conversationId');
  r.done();
  if (conversationId !== undefined) out.conversationId = conversationId;
  return out;
}
