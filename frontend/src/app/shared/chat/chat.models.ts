import type { ChatMessageDto } from '@echocenter/contracts';

export interface ChatTarget {
  peerId: number;
  /** Butler threads; null for a direct chat with an agent. */
  conversationId: number | null;
}

/** A message typed here and not yet confirmed by the server. */
export interface PendingMessage {
  localId: string;
  text: string;
  createdAt: string;
  state: 'sending' | 'failed';
  error?: string;
}

/** A reply being streamed; shown until the stored message with the same streamId arrives. */
export interface LiveStream {
  streamId: string;
  senderId: number;
  text: string;
  ended: boolean;
}

export interface TimelineExtra {
  key: string;
  createdAt: string;
  data: unknown;
}

export type TimelineItem =
  | { kind: 'message'; key: string; message: ChatMessageDto; mine: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage }
  | { kind: 'stream'; key: string; stream: LiveStream }
  | { kind: 'extra'; key: string; extra: TimelineExtra };
