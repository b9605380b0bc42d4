import type { Locale } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import type { ButlerTools } from '../tools/butler-tools';
import type { TurnTrace } from '../turns/turn-trace';
import type { TurnUsage } from '../usage/turn-usage';

export interface BrainMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/** Something that happened (an approved command finished) that the Butler should report on. */
export interface BrainNotice {
  /** For people: what the thread says when no model words it. */
  text: string;
  /** For the model: the same facts as data (it reaches the model quoted, never as an instruction). */
  data: Record<string, unknown>;
}

/** One turn of a thread, as the brain sees it. */
export interface BrainInput {
  operator: AuthActor;
  conversationId: number;
  /** The compacted older part of the thread, if any. */
  summary: string | null;
  /** The recent messages, oldest first; ends with the operator's new message unless `notice` is set. */
  history: BrainMessage[];
  notice?: BrainNotice;
  /** Where the brain adds what each model call spent (stored per turn by ButlerService). */
  usage?: TurnUsage;
  /** The turn's span: each model call is a child of it. */
  trace?: TurnTrace;
  /** The language to answer in: the operator's console's, else guessed from their last message (see localeOf). */
  locale: Locale;
}

/** Where the reply goes, piece by piece, as it is produced. */
export interface ReplySink {
  write(text: string): void;
}

/** The Butler's mind: a model behind the openai SDK, or the deterministic offline fallback. */
export interface Brain {
  /** "offline", or the model's name. */
  readonly name: string;
  reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void>;
  /** Optional: start reads the next reply will need (called before the thread's context is loaded). */
  prefetch?(): void;
  /** Folds older messages (and the previous summary) into a new summary; what the model spent goes to `usage`. */
  summarize(previous: string | null, messages: BrainMessage[], usage?: TurnUsage): Promise<string>;
}

export const BRAIN = Symbol('BRAIN');
