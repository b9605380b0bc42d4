/**
 * EchoCenter agent SDK: a typed Socket.IO client for agents.
 *
 * ```ts
 * const agent = connect({ url, token, name: 'echo-bot' });
 * agent.onCommand('echo', (args) => args).hello({ commands: [{ name: 'echo', readOnly: true }] });
 * await agent.ready();
 * ```
 */
export { Agent, connect, type AgentEvents, type ConnectOptions } from './agent';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export type { ChatContext, ChatHandler } from './chat';
export {
  HINT_TEXT,
  MAX_CHAT_COMMAND_CHARS,
  createDefaultChatHandler,
  helpText,
  isHelp,
  stillConnectingText,
  refusalText,
  type DefaultChatOptions,
  type FreeTextAnswer,
  type FreeTextInterpreter,
} from './chat-default';
export {
  DEFAULT_MODEL_TIMEOUT_MS,
  createPersonaChatHandler,
  personaModelFromEnv,
  personaPrompt,
  type PersonaChatOptions,
  type PersonaModel,
} from './persona';
export type { CommandContext, CommandHandler } from './commands';
export { AuthError, CommandCancelledError, errorMessage } from './errors';
export { startProgram, type AgentProgram, type StopFn } from './program';
export { LIMITS, formatOutput, sleep, splitArgs, truncate } from './text';
export { EXIT, runAgent, type RunOptions } from './run';
