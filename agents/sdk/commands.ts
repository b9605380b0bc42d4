import type {
  ActorRef,
  CommandCancelEvent,
  CommandProgressPayload,
  CommandResultPayload,
  CommandRunEvent,
} from '@echocenter/contracts';
import { CommandCancelledError, errorMessage } from './errors';
import { LIMITS, formatOutput, splitArgs, truncate } from './text';

/** What a command handler is given besides its argument string. */
export interface CommandContext {
  commandId: number;
  /** The command name the handler was registered under. */
  command: string;
  /** The arguments split on whitespace, quotes respected. */
  argv: string[];
  /** Who asked (a human or the Butler). */
  from: ActorRef;
  /** After this the hub no longer waits; `signal` aborts then. */
  deadline: Date;
  /** Aborted when the hub sends `command:cancel`, the deadline passes, or the agent closes. */
  signal: AbortSignal;
  /** Sends a `command:progress` line to whoever asked. */
  stream(text: string): void;
}

/** A string is sent as-is; any other value is sent as JSON; a throw becomes `ok: false`. */
export type CommandHandler = (args: string, ctx: CommandContext) => unknown;

export interface CommandSink {
  progress(payload: CommandProgressPayload): void;
  result(payload: CommandResultPayload): void;
}

// Remembered results let a re-delivered `command:run` be answered without running the command twice.
const REMEMBERED_RESULTS = 200;
// setTimeout overflows above 2^31-1 ms; a later deadline simply gets no timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs `command:run` events against registered handlers and reports their results. */
export class CommandDispatcher {
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private readonly results = new Map<number, CommandResultPayload>();
  // Commands run from a chat line: aborted with the others when the agent closes.
  private readonly direct = new Set<AbortController>();

  constructor(private readonly sink: CommandSink) {}

  register(name: string, handler: CommandHandler): void {
    if (this.handlers.has(name)) throw new Error(`command "${name}" already has a handler`);
    this.handlers.set(name, handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /**
   * Runs a handler for a chat line (the default chat handler, read-only commands only): progress goes to
   * `stream`, the result comes back as text; a throw or the timeout rejects.
   */
  async runDirect(
    name: string,
    args: string,
    options: { from: ActorRef; stream(text: string): void; timeoutMs?: number },
  ): Promise<string> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`unknown command "${name}"`);
    const timeoutMs = options.timeoutMs ?? 60_000;
    const controller = new AbortController();
    this.direct.add(controller);
    const timer = setTimeout(() => controller.abort(new CommandCancelledError('took too long')), timeoutMs);
    const { signal } = controller;
    const ctx: CommandContext = {
      commandId: 0,
      command: name,
      argv: splitArgs(args),
      from: options.from,
      deadline: new Date(Date.now() + timeoutMs),
      signal,
      stream: (text) => {
        if (!signal.aborted && text) options.stream(text.endsWith('\n') ? text : `${text}\n`);
      },
    };
    try {
      const work = Promise.resolve().then(() => handler(args, ctx));
      return truncate(formatOutput(await Promise.race([work, rejectOnAbort(signal)])), LIMITS.resultChars);
    } finally {
      clearTimeout(timer);
      this.direct.delete(controller);
    }
  }

  /** Whether this process runs the command now or ran it (its result is remembered). */
  knows(commandId: number): boolean {
    return this.running.has(commandId) || this.results.has(commandId);
  }

  run(event: CommandRunEvent): void {
    if (this.running.has(event.commandId)) return;
    const remembered = this.results.get(event.commandId);
    if (remembered) return this.sink.result(remembered);

    const controller = new AbortController();
    const done = this.execute(event, controller).then((payload) => {
      this.running.delete(event.commandId);
      this.remember(payload);
      this.sink.result(payload);
    });
    this.running.set(event.commandId, { controller, done });
  }

  cancel(event: CommandCancelEvent): void {
    this.running.get(event.commandId)?.controller.abort(new CommandCancelledError(event.reason || 'cancelled'));
  }

  abortAll(reason: string): void {
    for (const { controller } of this.running.values()) controller.abort(new CommandCancelledError(reason));
    for (const controller of this.direct) controller.abort(new CommandCancelledError(reason));
  }

  /** Resolves when every running command has reported its result. */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async execute(event: CommandRunEvent, controller: AbortController): Promise<CommandResultPayload> {
    const { commandId } = event;
    const { name, args, handler } = this.resolve(event);
    if (!handler) {
      const known = [...this.handlers.keys()].join(', ') || 'none';
      return { commandId, ok: false, error: `unknown command "${name}" (this agent knows: ${known})` };
    }

    const deadline = new Date(event.deadline);
    const remaining = deadline.getTime() - Date.now();
    const timer =
      remaining < MAX_TIMER_MS
        ? setTimeout(() => controller.abort(new CommandCancelledError('deadline passed')), Math.max(0, remaining))
        : undefined;
    const { signal } = controller;
    const ctx: CommandContext = {
      commandId,
      command: name,
      argv: splitArgs(args),
      from: event.from,
      deadline,
      signal,
      stream: (text) => {
        if (!signal.aborted && text) this.sink.progress({ commandId, text: truncate(text, LIMITS.textChars) });
      },
    };

    try {
      const work = Promise.resolve().then(() => handler(args, ctx));
      // A handler that ignores its signal must not hold the answer back: the cancel wins the race.
      const output = await Promise.race([work, rejectOnAbort(signal)]);
      return { commandId, ok: true, result: truncate(formatOutput(output), LIMITS.resultChars) };
    } catch (err) {
      const reason = signal.aborted ? signal.reason : err;
      return { commandId, ok: false, error: truncate(errorMessage(reason), LIMITS.textChars) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The hub may send "get_file a.txt" as the command itself; the first word then names the handler. */
  private resolve(event: CommandRunEvent): { name: string; args: string; handler?: CommandHandler } {
    const command = event.command.trim();
    const args = (event.args ?? '').trim();
    const exact = this.handlers.get(command);
    if (exact) return { name: command, args, handler: exact };
    // Only the first whitespace splits: the rest (code to review, say) keeps its newlines.
    const [, first = command, rest = ''] = /^(\S+)\s+([\s\S]*)$/.exec(command) ?? [];
    const inlineArgs = [rest, args].filter(Boolean).join(' ');
    return { name: first, args: inlineArgs, handler: this.handlers.get(first) };
  }

  private remember(payload: CommandResultPayload): void {
    this.results.set(payload.commandId, payload);
    if (this.results.size > REMEMBERED_RESULTS) {
      const oldest = this.results.keys().next().value;
      if (oldest !== undefined) this.results.delete(oldest);
    }
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
