/** The hub refused the agent's token. Retrying cannot help, so the SDK stops and reports this once. */
export class AuthError extends Error {
  readonly code = 'UNAUTHORIZED';

  constructor(readonly url: string) {
    super(`EchoCenter at ${url} refused the agent token (UNAUTHORIZED). Check the token, or rotate it in the console.`);
    this.name = 'AuthError';
  }
}

/** Raised inside a command handler's context when the command was cancelled or its deadline passed. */
export class CommandCancelledError extends Error {
  constructor(readonly reason: string) {
    super(`cancelled: ${reason}`);
    this.name = 'CommandCancelledError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
