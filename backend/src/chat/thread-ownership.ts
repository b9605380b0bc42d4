/**
 * Who owns which Butler thread. Chat asks before it stores a message that names a thread; the Butler's
 * conversations answer (provided under THREAD_OWNERSHIP, so chat never imports the Butler).
 */
export interface ThreadOwnership {
  /** Whether the human `ownerId` owns the thread `conversationId`; cached by the answerer, as it runs on every turn. */
  owns(ownerId: number, conversationId: number): Promise<boolean>;
}

export const THREAD_OWNERSHIP = Symbol('THREAD_OWNERSHIP');
