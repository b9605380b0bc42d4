import type { AgentCard, AgentCommandCard } from '@echocenter/contracts';
import type { ChatContext, ChatHandler } from './chat';

/** The answer to anything the agent does not know as a command (or as a question it answers itself). */
export const HINT_TEXT = `I don't understand that. Try "help" for the commands I know.`;

/** Chat text longer than this is not parsed as a command (it is untrusted input). */
export const MAX_CHAT_COMMAND_CHARS = 2_000;

/**
 * A question in words that one of the agent's read-only commands answers: which command, and how to put
 * its output into words. The command goes through the same checks as one typed in chat.
 */
export interface FreeTextAnswer {
  command: string;
  args?: string;
  words: (output: string) => string;
}

/** Free text to a FreeTextAnswer, or undefined when the program has no answer (the hint is given). */
export type FreeTextInterpreter = (text: string) => FreeTextAnswer | undefined;

/** Runs one of the agent's own command handlers for a chat line; resolves to the reply text. */
export type ChatCommandRunner = (name: string, args: string, ctx: ChatContext) => Promise<string>;

export interface DefaultChatOptions {
  /** The agent's name, used in "ask the Butler: <agent>: <command>". */
  name: string;
  /** The card the agent announced (or the effective one the hub sent back, with `policy`). */
  card: () => AgentCard | undefined;
  /** Whether a handler is registered for a command name. */
  has: (name: string) => boolean;
  /**
   * Whether the hub's ruling on the current card has arrived (the `agent:hello` ack, or an `agent:card`
   * push). Until it has, nothing runs from a chat: the agent's own read-only claim is not enough.
   */
  ruled: () => boolean;
  run: ChatCommandRunner;
  /** Without a model: the program's own answers to free text (e.g. "is it going to rain?"). */
  freeText?: () => FreeTextInterpreter | undefined;
}

/** True for a chat line asking for help: "help", "/help", "?", "commands". */
export function isHelp(text: string): boolean {
  return /^\s*(\/?help|\?|\/?commands)\s*[.!?]?\s*$/i.test(text);
}

/** Whether chat may run a command: read-only by the agent's claim and by the hub's ruling when known. */
export function isReadOnly(command: AgentCommandCard): boolean {
  // The agent's own claim, and the hub's effective policy too when the agent knows it: either one saying
  // "not read-only" keeps the command out of chat.
  return command.readOnly === true && (command.policy === undefined || command.policy === 'READ_ONLY');
}

function policyLabel(command: AgentCommandCard): string {
  switch (command.policy) {
    case 'READ_ONLY':
      return 'read-only';
    case 'NEEDS_APPROVAL':
      return 'needs approval';
    case 'DESTRUCTIVE':
      return 'destructive, needs approval every time';
    default:
      return command.readOnly ? 'read-only (if an admin confirmed it)' : 'needs approval';
  }
}

/** The command a chat line starts with, if it is on the card, and the rest of the line (its arguments). */
export function commandLine(
  card: AgentCard | undefined,
  line: string,
): { command: AgentCommandCard; rest: string } | undefined {
  const [, word = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(line.trim()) ?? [];
  const command = card?.commands.find((c) => c.name === word || c.name.toLowerCase() === word.toLowerCase());
  return command ? { command, rest: rest.trim() } : undefined;
}

/** Said for a command the card claims read-only while the hub's ruling has not arrived yet. */
export function stillConnectingText(command: string): string {
  return (
    `I am still connecting to the hub and do not know yet whether "${command}" may run from a chat. ` +
    `Try again in a moment.`
  );
}

/** Why a side-effecting command is not run from a chat, and how to ask for it properly. */
export function refusalText(agentName: string, command: string, args = ''): string {
  const usage = [command, args.trim()].filter(Boolean).join(' ');
  return (
    `"${command}" changes things, so I only run it as an approved request, never from a chat. ` +
    `Ask the Butler: ${agentName}: ${usage} (for example, tell the Butler "ask ${agentName} to ${usage}").`
  );
}

/** The `help` answer: every command on the card with its arguments, description and policy. */
export function helpText(name: string, card: AgentCard | undefined): string {
  const commands = card?.commands ?? [];
  const lines = [`${name}${card?.description ? ` — ${card.description}` : ''}`];
  if (commands.length === 0) {
    lines.push('I have no commands.');
    return lines.join('\n');
  }
  lines.push('Commands:');
  for (const command of commands) {
    const usage = [command.name, command.args].filter(Boolean).join(' ');
    const description = command.description ? ` — ${command.description}` : '';
    lines.push(`- ${usage}${description} [${policyLabel(command)}]`);
  }
  lines.push(
    'Type a read-only command here to run it. Others need an approved request: ' +
      `ask the Butler: ${name}: <command>.`,
  );
  return lines.join('\n');
}

/**
 * The handler every agent gets unless it sets its own: `help`, read-only commands run and answered,
 * side-effecting ones refused (only the hub's approval flow may run them), anything else a hint.
 */
export function createDefaultChatHandler(options: DefaultChatOptions): ChatHandler {
  return async (text, ctx) => {
    const line = text.trim();
    if (isHelp(line)) return helpText(options.name, options.card());
    const hint = HINT_TEXT;
    if (!line || line.length > MAX_CHAT_COMMAND_CHARS) return hint;
    const parsed = commandLine(options.card(), line);
    if (!parsed) return answerInWords(options, line, ctx) ?? hint;
    const { command, rest } = parsed;
    // Before the hub has ruled, a read-only claim is only the agent's word: nothing runs on it.
    if (!options.ruled() && command.readOnly === true) return stillConnectingText(command.name);
    if (!isReadOnly(command)) return refusalText(options.name, command.name, rest);
    if (!options.has(command.name)) return `"${command.name}" is on my card but I have no handler for it right now.`;
    return options.run(command.name, rest.trim(), ctx);
  };
}

/** Free text the program knows how to answer: its read-only command, checked as a typed one, in words. */
function answerInWords(options: DefaultChatOptions, line: string, ctx: ChatContext): Promise<string> | undefined {
  const intent = options.freeText?.()?.(line);
  const command = intent && options.card()?.commands.find((c) => c.name === intent.command);
  if (!intent || !command) return undefined;
  if (!options.ruled() && command.readOnly === true) return Promise.resolve(stillConnectingText(command.name));
  if (!isReadOnly(command) || !options.has(command.name)) return undefined;
  // The raw output stays out of the chat (no streaming): the reply is the words made from it.
  return options.run(command.name, intent.args ?? '', { ...ctx, stream: () => undefined }).then(intent.words);
}
