import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentDto } from '@echocenter/contracts';
import type { BrainInput, BrainMessage } from './brain';
import { fleetData, SUMMARY_PROMPT, systemPrompt } from './system-prompt';
import { dataBlock } from './untrusted-data';

/**
 * A turn's request: our instructions as the only system message; the fleet, the earlier summary and an
 * approval update as marked data blocks (user role); between them the thread's messages as they were said.
 */
export function turnMessages(
  input: BrainInput,
  fleet: AgentDto[],
  now = new Date(),
  toolsAvailable = true,
): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt(input.operator.name, now, toolsAvailable) },
    { role: 'user', content: dataBlock('fleet', fleetData(fleet)) },
  ];
  if (input.summary)
    messages.push({ role: 'user', content: dataBlock('earlier_conversation_summary', { summary: input.summary }) });
  messages.push(...input.history.map(toParam));
  if (input.notice) messages.push({ role: 'user', content: dataBlock('approval_update', input.notice.data) });
  return messages;
}

/** A compaction request: the messages to fold (and the previous summary) as one data block. */
export function summaryMessages(previous: string | null, history: BrainMessage[]): ChatCompletionMessageParam[] {
  const conversation = {
    earlierSummary: previous,
    messages: history.map((m) => ({ from: m.role === 'assistant' ? 'butler' : 'operator', text: m.content })),
  };
  return [
    { role: 'system', content: SUMMARY_PROMPT },
    { role: 'user', content: dataBlock('conversation', conversation) },
  ];
}

// A thread's stored messages are the operator's or the Butler's: neither ever speaks as the system.
function toParam(m: BrainMessage): ChatCompletionMessageParam {
  return m.role === 'assistant' ? { role: 'assistant', content: m.content } : { role: 'user', content: m.content };
}
