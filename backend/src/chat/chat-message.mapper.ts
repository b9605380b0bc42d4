import type { ChatMessageDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { ChatMessage } from './chat-message.entity';

/** Live events and history share this shape: optional fields are always present, null when unset. */
export function toChatMessageDto(m: ChatMessage): ChatMessageDto {
  return {
    id: m.id,
    localId: m.localId,
    conversationId: m.conversationId,
    senderId: m.senderId,
    senderName: m.senderName,
    senderKind: m.senderKind,
    targetId: m.targetId,
    text: m.text,
    streamId: m.streamId,
    createdAt: iso(m.createdAt)!,
  };
}
